"""Events: what customers did."""
