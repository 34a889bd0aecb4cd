-- The note text of a screening version, sealed apart from the rest of the
-- version (vault.Version.Detached), so that an organization keeping notes
-- minimal can erase the note text of earlier versions when a record is
-- amended without breaking the hash chain: the version's metadata, which
-- the hash covers, names the notes' digest, and the later version that
-- erased them says so in its own metadata. '' when there are no notes, or
-- when they were erased.
ALTER TABLE screening_versions ADD COLUMN detached TEXT NOT NULL DEFAULT '';
