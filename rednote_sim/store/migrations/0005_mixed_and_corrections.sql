-- 0005: where a translation came from, the second rendering of messages that mix
-- the languages, and translations corrected in class.

-- 'machine', 'reference', 'passthrough' or 'corrected'; NULL in rows written before
-- this migration, read as what translation_engine implies.
ALTER TABLE messages ADD COLUMN translation_origin TEXT
    CHECK (translation_origin IN ('machine', 'reference', 'passthrough', 'corrected'));
-- For a class correction: the machine output it replaced (machine vs human).
ALTER TABLE messages ADD COLUMN translation_machine TEXT;

-- A message written in both languages gets a rendering in its own language with the
-- other language's parts translated (so each reader has one); see Message.mixed.
ALTER TABLE messages ADD COLUMN mixed INTEGER NOT NULL DEFAULT 0 CHECK (mixed IN (0, 1));
ALTER TABLE messages ADD COLUMN mixed_text TEXT;
ALTER TABLE messages ADD COLUMN mixed_engine TEXT;
ALTER TABLE messages ADD COLUMN mixed_origin TEXT
    CHECK (mixed_origin IN ('machine', 'reference', 'passthrough', 'corrected'));
ALTER TABLE messages ADD COLUMN mixed_machine TEXT;
ALTER TABLE messages ADD COLUMN mixed_error TEXT;

-- A teacher's better translation of a line whose machine translation was marked as an
-- MT error. `lang` is the rendering corrected (a mixed message has two); `machine`
-- is what the model had said. The translation service reuses the latest correction
-- of the same text (or the same sentence) in later sessions: the memory that learns.
CREATE TABLE translation_corrections (
    session_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    machine     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, seq, lang),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;
