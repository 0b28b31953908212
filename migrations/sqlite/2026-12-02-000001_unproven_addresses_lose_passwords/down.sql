-- The passwords taken from unproven accounts are not kept anywhere: nothing to restore.
SELECT 1;
