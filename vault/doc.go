// Package vault encrypts Haven's screening interviews at rest and makes every
// stored version of a record tamper-evident.
//
// The people described in these records may be victims of human trafficking.
// A leaked or quietly edited interview can put someone in danger or damage a
// case, so the package is built around two promises: a copy of the database
// (a dump, a backup, a stolen disk) reveals no interview content, and an edit
// made to the database by someone without the key is detected when the record
// is read or its history is verified.
//
// # Threat model
//
// Protected: anyone who can read the database, its backups or its logs but
// does not hold the secret key learns nothing about the sealed content except
// its length (AES-GCM does not hide length). Anyone who can also write to the
// database, still without the key, cannot change, insert, reorder, or move
// sealed content between records or versions without Keyring.Open (and so
// Keyring.OpenVersion) failing with ErrTampered, and cannot change a version's
// metadata or links without VerifyChain or OpenVersion noticing.
//
// Not protected: an attacker who holds the key (for example one who controls
// the running server) can read and rewrite everything. Deleting the newest
// versions of a record, or a whole record, leaves a shorter chain that is still
// valid; to detect that, record each record's head (number and hash) somewhere
// the database writer cannot change, such as an append-only audit log or a
// periodic signed export, and compare. Meta is stored in the clear: it must
// never hold names, places, phone numbers or anything else from the interview.
//
// # Why AES-256-GCM
//
// GCM is an AEAD: one primitive gives confidentiality and integrity, with no
// encrypt-then-MAC composition to get wrong, and it is hardware-accelerated on
// the servers Haven runs on. Its weakness is nonce reuse under one key, which
// reveals the XOR of two plaintexts and lets an attacker forge messages. Every
// Seal draws a fresh random 96-bit nonce from crypto/rand; NIST SP 800-38D
// bounds random nonces to 2^32 seals per key, which keeps the chance of any
// repeat below 2^-32. Haven seals one value per saved interview version, many
// orders of magnitude fewer than 2^32, and keys are rotated long before that.
//
// # Why associated data
//
// Encryption alone would let a database writer copy a valid ciphertext from
// one record to another, or from version 7 back to version 3, and it would
// still decrypt. GCM's associated data is authenticated but not stored in the
// ciphertext: the caller supplies it again when opening, and if it differs the
// tag check fails. VersionAD builds associated data from the record ID, the
// version number, the previous version's hash and the metadata, so a sealed
// value opens only in the exact place in the exact chain it was written for.
// That also makes the (unkeyed) SHA-256 chain effectively keyed: recomputing
// hashes after an edit changes the PrevHash of later versions, and their
// sealed content then no longer opens.
//
// # Why short key IDs
//
// Each sealed value names the key that sealed it, so old records stay
// readable after rotation. The ID is the first 8 hex digits (32 bits) of the
// SHA-256 of the key: enough to pick the right key out of the handful in a
// keyring, short enough to sit in every row, and revealing at most 32 bits
// about a 256-bit random key. The full hash would be a permanent fingerprint
// of the key material spread through every row and backup, for no benefit.
// The ID is not a security boundary: if two keys in a ring ever shared an ID,
// Open tries each of them and the GCM tag decides.
//
// # Rotation
//
// Put a new key first in the key file and keep the old ones below it. New
// seals use the new key; old values still open. Keyring.Reseal and
// Keyring.RotateVersion move a value to the current key. The recommended way
// to store the result is a new chain version (RotateVersion does this), with
// Meta recording the reason, so the rotation is itself part of the verified
// history. Rewriting versions in place would change their hashes, so the
// whole chain would have to be re-sealed and re-hashed; that looks exactly
// like an attacker with the key rewriting history, and should only be done
// with the reason recorded outside the database. Older versions stay sealed
// with the key they were written under; once that key is deleted everywhere,
// every value it sealed is unreadable for good (crypto-shredding), so delete
// an old key only when that is intended.
package vault
