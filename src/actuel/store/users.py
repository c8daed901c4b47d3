"""Admin rows: users (argon2 hashes only), login sessions and API tokens (sha256 of the secret)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.errors import NotFoundError, StoreError
from actuel.store.admin_tables import admin_sessions, admin_users, api_tokens


@dataclass(frozen=True)
class AdminUser:
    id: int
    name: str
    password_hash: str
    must_change_password: bool = False


def create_user(
    conn: Connection, name: str, password_hash: str, now: datetime, *, one_time: bool = False
) -> int:
    if get_user(conn, name) is not None:
        raise StoreError(
            f"an admin named {name!r} already exists",
            fix="choose another name, or use `actuel admin set-password` to change its password",
        )
    return int(
        conn.execute(
            admin_users.insert()
            .values(name=name, password_hash=password_hash, created_at=now)
            .values(must_change_password=one_time)
            .returning(admin_users.c.id)
        ).scalar_one()
    )


def get_user(conn: Connection, name: str) -> AdminUser | None:
    row = conn.execute(
        sa.select(
            admin_users.c.id,
            admin_users.c.name,
            admin_users.c.password_hash,
            admin_users.c.must_change_password,
        ).where(admin_users.c.name == name)
    ).first()
    return AdminUser(int(row[0]), str(row[1]), str(row[2]), bool(row[3])) if row else None


def count_users(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(admin_users)).scalar_one())


def set_password_hash(conn: Connection, name: str, password_hash: str) -> None:
    """A password the admin chose (a one-time password is then spent)."""
    done = conn.execute(
        admin_users.update()
        .where(admin_users.c.name == name)
        .values(password_hash=password_hash, must_change_password=False)
    )
    if done.rowcount == 0:
        raise NotFoundError(
            f"no admin named {name!r}", fix="create it with `actuel admin create-user`"
        )


def start_session(
    conn: Connection, user_id: int, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    """A new session; the user's expired ones go (each login rotates to a fresh token)."""
    conn.execute(admin_sessions.delete().where(admin_sessions.c.expires_at <= now))
    conn.execute(
        admin_sessions.insert().values(
            token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at
        )
    )
    conn.execute(admin_users.update().where(admin_users.c.id == user_id).values(last_login_at=now))


def session_user(conn: Connection, token_hash: str, now: datetime) -> str | None:
    """The name of the admin whose live session this is, else None."""
    found = conn.execute(
        sa.select(admin_users.c.name)
        .select_from(admin_sessions.join(admin_users, admin_users.c.id == admin_sessions.c.user_id))
        .where(admin_sessions.c.token_hash == token_hash, admin_sessions.c.expires_at > now)
    ).scalar()
    return str(found) if found is not None else None


def end_session(conn: Connection, token_hash: str) -> None:
    conn.execute(admin_sessions.delete().where(admin_sessions.c.token_hash == token_hash))


def add_api_token(
    conn: Connection, token_hash: str, label: str, user_id: int | None, now: datetime
) -> int:
    return int(
        conn.execute(
            api_tokens.insert()
            .values(token_hash=token_hash, label=label, user_id=user_id, created_at=now)
            .returning(api_tokens.c.id)
        ).scalar_one()
    )


def use_api_token(
    conn: Connection, token_hash: str, now: datetime, *, record: bool = True
) -> str | None:
    """The label of this token when it is known (its last use recorded when `record`)."""
    row = conn.execute(
        sa.select(api_tokens.c.id, api_tokens.c.label).where(api_tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    if record:
        conn.execute(api_tokens.update().where(api_tokens.c.id == row[0]).values(last_used_at=now))
    return str(row[1])
