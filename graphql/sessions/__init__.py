"""Sessions: a customer's visits."""
