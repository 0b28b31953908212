-- The trust network (issue 19, point 2). An approved attendee's OpenPGP public key: version 4,
-- checked when it is added (not expired or revoked, an encryption-capable subkey, a user ID
-- with the person's address), stored as the ASCII armor the app wrote back from the parsed
-- key, with its fingerprint (40 upper-case hex digits) and the expiry of the key's
-- encryption, if it has one. One key per account; the person replaces or removes it on /me.
CREATE TABLE openpgp_keys (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    armored TEXT NOT NULL,
    expires_at TIMESTAMP,
    added_at TIMESTAMP NOT NULL
);
-- Sharing is opt-in per registration and off by default, beside the consent to be listed:
-- share_contact shows the email address and key fingerprint to the meeting's other
-- attendees (directory, keyring, vCard); mailing_list puts the person on the organizers'
-- roster for the community's mailing list. Existing registrations are in neither.
ALTER TABLE registrations ADD COLUMN share_contact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE registrations ADD COLUMN mailing_list BOOLEAN NOT NULL DEFAULT FALSE;
