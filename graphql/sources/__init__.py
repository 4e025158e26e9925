"""Event sources: the websites, apps and back offices that send events."""
