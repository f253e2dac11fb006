-- 0002: workshop mode: the phrasebook, interesting-MT-error marks and quiz answers.
-- Each row belongs to one message; deleting a session (or message) deletes them too.
-- (The session note and user markers already live in sessions.note and markers.)

-- A phrasebook entry. `term` is what the learner saved, in `lang`; `translation`
-- is the other language and `translation_source` says where it came from.
-- The example sentence is the source message itself (joined, not copied).
CREATE TABLE vocab (
    id                  INTEGER PRIMARY KEY,
    session_id          TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    lang                TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    term                TEXT NOT NULL CHECK (length(trim(term)) > 0),
    pinyin              TEXT NOT NULL DEFAULT '',
    translation         TEXT NOT NULL DEFAULT '',
    translation_source  TEXT NOT NULL DEFAULT ''
                        CHECK (translation_source IN ('', 'user', 'glossary', 'machine')),
    note                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    UNIQUE (session_id, lang, term),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
);

-- At most one mark per message; marking again replaces the note.
CREATE TABLE mt_errors (
    session_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, seq),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;

-- Every attempt is kept, in the order typed.
CREATE TABLE quiz_answers (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    answer      TEXT NOT NULL CHECK (length(trim(answer)) > 0),
    created_at  TEXT NOT NULL,
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
);
CREATE INDEX quiz_answers_by_message ON quiz_answers(session_id, seq);
