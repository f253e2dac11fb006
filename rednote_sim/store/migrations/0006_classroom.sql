-- 0006: the classroom (several people in one live room) and dictionary phrasebook entries.
--
-- Authors: `''` is the person at the host's terminal; a guest's rows carry the guest's
-- name (as line_corrections already do), so a class's answers and phrasebooks stay apart.

-- The phrasebook, rebuilt: entries belong to an author (unique per session, author,
-- language and term) and a translation may come from the dictionary (CC-CEDICT).
CREATE TABLE vocab_new (
    id                  INTEGER PRIMARY KEY,
    session_id          TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    author              TEXT NOT NULL DEFAULT '',
    lang                TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    term                TEXT NOT NULL CHECK (length(trim(term)) > 0),
    pinyin              TEXT NOT NULL DEFAULT '',
    translation         TEXT NOT NULL DEFAULT '',
    translation_source  TEXT NOT NULL DEFAULT ''
                        CHECK (translation_source IN ('', 'user', 'glossary', 'machine',
                                                      'dictionary')),
    note                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    UNIQUE (session_id, author, lang, term),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
);
INSERT INTO vocab_new (id, session_id, seq, author, lang, term, pinyin, translation,
                       translation_source, note, created_at)
    SELECT id, session_id, seq, '', lang, term, pinyin, translation, translation_source,
           note, created_at
    FROM vocab;
DROP TABLE vocab;
ALTER TABLE vocab_new RENAME TO vocab;

-- Quiz answers: whose answer it is (the answer board shows each guest's).
ALTER TABLE quiz_answers ADD COLUMN author TEXT NOT NULL DEFAULT '';

-- The host's heartbeat. The process playing a live session (demo or workshop) keeps
-- `beat_at` (unix seconds) fresh; a session is live while its beat is recent and it is
-- not finished. A crashed host leaves a stale beat, never a stale "live" flag.
CREATE TABLE hosts (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    pid         INTEGER NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('demo', 'workshop')),
    started_at  TEXT NOT NULL,
    beat_at     REAL NOT NULL,
    finished    INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1))
) WITHOUT ROWID;

-- Who is in the room besides the host: one row per guest name (unique in the room),
-- refreshed by the guest's own heartbeat; `typing_at` is the last keystroke in the
-- guest's composer (the teacher's typing indicators).
CREATE TABLE guests (
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    joined_at   TEXT NOT NULL,
    seen_at     REAL NOT NULL,
    typing_at   REAL,
    left_at     TEXT,
    PRIMARY KEY (session_id, name)
) WITHOUT ROWID;

-- The inbox: what guests send. Guests only ever insert here (and into `guests`); the
-- host takes each row once, in id order, and writes the session data itself (a message,
-- a quiz answer, a phrasebook entry, a correction), then records the outcome.
-- `payload` is JSON (untrusted: validated by the host like any other input).
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    guest       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'done', 'refused')),
    result_seq  INTEGER,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_pending ON inbox(session_id, status, id);
