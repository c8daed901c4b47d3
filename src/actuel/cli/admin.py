"""`actuel admin …`: create admin users, change their passwords, create API tokens."""

from __future__ import annotations

import secrets
import sys

import click

from actuel.accounts.passwords import MIN_LENGTH, hash_password
from actuel.cli.common import common_options, fail, open_store, out
from actuel.config import Settings

TOKEN_PREFIX = "act_"  # noqa: S105 - a visible prefix, not a secret


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_LENGTH:
        fail(f"the password is shorter than {MIN_LENGTH} characters (choose a longer one)")
    return password


@click.group("admin")
def admin_group() -> None:
    """Admin users and API tokens."""


@admin_group.command("create-user")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@common_options
def create_user_command(settings: Settings, name: str, password_stdin: bool) -> None:
    """Create an admin user NAME (the password is asked twice, or read from stdin)."""
    if not 1 <= len(name) <= 64 or not name.isprintable():
        fail(f"admin name {name!r} must be 1 to 64 printable characters (choose another)")
    password = _read_password(password_stdin)
    with open_store(settings) as store:
        store.users.create_admin(name, hash_password(password))
    out.print(f"created admin {name}: log in at /admin/login")


@admin_group.command("set-password")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@common_options
def set_password_command(settings: Settings, name: str, password_stdin: bool) -> None:
    """Give admin NAME a new password."""
    password = _read_password(password_stdin)
    with open_store(settings) as store:
        store.users.set_password(name, hash_password(password))
    out.print(f"changed the password of admin {name}")


@admin_group.command("create-token")
@click.argument("label")
@click.option("--user", "user", metavar="NAME", help="Admin the token belongs to.")
@common_options
def create_token_command(settings: Settings, label: str, user: str | None) -> None:
    """Create an API token for the write API (shown once: only its hash is kept)."""
    from actuel.accounts.tokens import token_hash

    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with open_store(settings) as store:
        user_id = None
        if user:
            found = store.users.get_admin(user)
            if found is None:
                fail(f"no admin named {user!r} (create it with `actuel admin create-user`)")
            else:
                user_id = found.id
        store.users.add_api_token(token_hash(token), label[:200], user_id)
    out.print(token)
