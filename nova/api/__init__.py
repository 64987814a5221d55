"""The Compute REST API (nova-api): WSGI on WebOb and Routes."""
