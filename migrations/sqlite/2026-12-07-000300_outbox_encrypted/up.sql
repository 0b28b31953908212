-- Encrypted announcements (issue 19, point 3). A message encrypted to its recipient is
-- stored as the finished OpenPGP message (ASCII armor: signed, then encrypted), never as
-- clear text: its body_text and body_html stay empty and its subject says only that an
-- encrypted announcement came. `email::message` wraps it in PGP/MIME (RFC 3156) at delivery.
ALTER TABLE outbox ADD COLUMN pgp_message TEXT;
