-- What a library entry's web address leads to, what changed since the seed
-- page (a new name), and how to find an item no address leads to. Notes and
-- finding texts are in both UI languages.
ALTER TABLE resources ADD COLUMN url_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN note_en TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN note_es TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN find_en TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN find_es TEXT NOT NULL DEFAULT '';
