-- The organizer's personal note, quoted in the invitation mail (empty: none). A resend
-- keeps it.
ALTER TABLE invitations ADD COLUMN note TEXT NOT NULL DEFAULT '';
