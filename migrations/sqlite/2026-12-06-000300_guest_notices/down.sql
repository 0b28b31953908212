DROP TABLE guest_notices;
