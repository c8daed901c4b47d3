"""What the admin, the API and the CLI share about people: passwords and secret tokens."""
