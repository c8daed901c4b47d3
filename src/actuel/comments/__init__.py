"""Reader comments: the rules that decide what is published, held, refused or dropped."""
