-- 0001: sessions, messages, reactions, markers and the translation memory.

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    scenario    TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    seed        INTEGER,
    created_at  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    origin      TEXT NOT NULL DEFAULT 'live' CHECK (origin IN ('live', 'import'))
);

CREATE TABLE messages (
    session_id          TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    t                   REAL NOT NULL CHECK (t >= 0),
    persona             TEXT NOT NULL,
    name                TEXT NOT NULL,
    lang                TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    text                TEXT NOT NULL,
    reply_to            INTEGER,
    beat                TEXT,
    reference           TEXT,
    translation_lang    TEXT CHECK (translation_lang IN ('en', 'zh')),
    translation_text    TEXT,
    translation_engine  TEXT,
    translation_error   TEXT,
    PRIMARY KEY (session_id, seq)
);

-- Reactions are events: each row adds `count` of one emoji at scenario time t,
-- so a replay shows the counts growing as they did live.
CREATE TABLE reactions (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    emoji       TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count >= 1),
    t           REAL NOT NULL CHECK (t >= 0),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
);
CREATE INDEX reactions_by_session ON reactions(session_id, t);

-- Chapter markers: from the scenario (kind 'scenario') or dropped while playing ('user').
CREATE TABLE markers (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    t           REAL NOT NULL CHECK (t >= 0),
    label       TEXT NOT NULL,
    seq         INTEGER,
    kind        TEXT NOT NULL DEFAULT 'user' CHECK (kind IN ('scenario', 'user'))
);
CREATE INDEX markers_by_session ON markers(session_id, t);

-- The translation memory: a text is run through a given engine once.
CREATE TABLE translations (
    engine       TEXT NOT NULL,
    source_lang  TEXT NOT NULL,
    target_lang  TEXT NOT NULL,
    source_text  TEXT NOT NULL,
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
) WITHOUT ROWID;
