-- Who may use moescope (issue 7): dashboard users signing in with a password, and bearer tokens for the JSON API.
-- Neither table holds a secret in the clear: passwords are {bcrypt} hashes (Spring's DelegatingPasswordEncoder
-- format, so the algorithm can change later), tokens the SHA-256 of 256 random bits (a fast hash is enough for a
-- secret that long, and it lets a request find its token by hash).

CREATE TABLE app_user (
    id            bigserial   PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('VIEWER', 'ADMIN')),
    created_at    timestamptz NOT NULL
);

CREATE TABLE api_token (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('VIEWER', 'ADMIN')),
    token_hash   text        NOT NULL UNIQUE,   -- hex SHA-256 of the token
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,                    -- at most a minute stale: see ApiTokens.TOUCH_INTERVAL
    revoked_at   timestamptz                     -- NULL while the token is valid
);
