-- Vetting evidence. A team domain that an import derived from the team's website is kept
-- unconfirmed, and does not let anyone self-register, until an organizer confirms it; the
-- domains stored before this version were entered or listed by organizers: confirmed.
ALTER TABLE team_domains ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;

-- The invitation a registration came through (none: self-registered). Older registrations
-- take the used invitation of their meeting sent to their address.
ALTER TABLE registrations ADD COLUMN invitation_id BIGINT REFERENCES invitations (id) ON DELETE SET NULL;
UPDATE registrations SET invitation_id = (
    SELECT i.id FROM invitations i JOIN users u ON u.email = i.email
    WHERE i.meeting_id = registrations.meeting_id AND u.id = registrations.user_id
      AND i.used_at IS NOT NULL
    ORDER BY i.id DESC LIMIT 1
);
CREATE INDEX registrations_invitation ON registrations (invitation_id);
