-- 0004: real chats imported from Discord, Telegram and WhatsApp exports.
-- Additive only: sessions recorded by rednote-sim keep NULL / 0 / no personas.

-- Which app a real chat came from (NULL: a session rednote-sim recorded itself),
-- and whether its names and handles were replaced by pseudonyms on import.
ALTER TABLE sessions ADD COLUMN imported_from TEXT
    CHECK (imported_from IN ('discord', 'telegram', 'whatsapp'));
ALTER TABLE sessions ADD COLUMN anonymized INTEGER NOT NULL DEFAULT 0
    CHECK (anonymized IN (0, 1));

-- When a message was posted in the original chat, as the export wrote it (ISO 8601,
-- with its UTC offset when the export has one). `t` stays the session clock.
ALTER TABLE messages ADD COLUMN posted_at TEXT;

-- The people of an imported chat: personas that belong to one session (the cast in
-- personas/ belongs to none). Replay, the exports and the TUI look here first.
-- Rows keep the order they were written in (rowid): the order people first spoke.
CREATE TABLE session_personas (
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    handle      TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    country     TEXT NOT NULL CHECK (country IN ('US', 'CN')),
    home        TEXT NOT NULL,
    avatar      TEXT NOT NULL,
    bio         TEXT NOT NULL,
    PRIMARY KEY (session_id, id)
);
