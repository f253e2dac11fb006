-- 0003: corrections of a line, HelloTalk style: a learner or the teacher rewrites a
-- partner's sentence as it should have been written (shown as a word diff).
-- One per line and author (`''` is the person at this terminal; guests have names);
-- correcting again replaces the text and note. Deleting the message deletes them.
CREATE TABLE line_corrections (
    session_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, seq, author),
    FOREIGN KEY (session_id, seq) REFERENCES messages(session_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;
