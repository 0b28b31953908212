//! The schema of both backends, written by hand with portable types (timestamps are
//! naive UTC; ids are 64-bit).

diesel::table! {
    outbox (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        ical -> Nullable<Text>,
        ical_method -> Nullable<Text>,
        idempotency_key -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        pgp_message -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        email_verified_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        totp_failures -> Integer,
        totp_locked_until -> Nullable<Timestamp>,
        failed_logins -> Integer,
        login_locked_until -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        second_factor_done -> Bool,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        user_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        name -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        subject -> Text,
        detail -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        name -> Text,
        short_name -> Text,
        country_code -> Text,
        website -> Text,
        status -> Text,
        cap_override -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_domains (id) {
        id -> BigInt,
        team_id -> BigInt,
        domain -> Text,
        confirmed -> Bool,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        year -> Integer,
        city -> Text,
        venue -> Text,
        time_zone -> Text,
        first_day -> Date,
        last_day -> Date,
        status -> Text,
        conference_name -> Text,
        conference_city -> Text,
        conference_first_day -> Date,
        conference_last_day -> Date,
        registration_opens -> Timestamp,
        registration_closes -> Timestamp,
        default_cap -> Integer,
        meeting_uid -> Text,
        meeting_sequence -> Integer,
        conference_uid -> Text,
        conference_sequence -> Integer,
        is_demo -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        edition_id -> Nullable<BigInt>,
        conference_time_zone -> Text,
        description -> Text,
        contact_email -> Text,
        offer_hours -> Integer,
        endorsement -> Text,
    }
}

diesel::table! {
    first_editions (id) {
        id -> BigInt,
        name -> Text,
        city -> Text,
        country -> Text,
        time_zone -> Text,
        first_day -> Date,
        last_day -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        team_id -> BigInt,
        email -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        sent_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        note -> Text,
    }
}

diesel::table! {
    registrations (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        user_id -> BigInt,
        team_id -> BigInt,
        status -> Text,
        role_title -> Text,
        dietary -> Text,
        accessibility -> Text,
        consent_listed -> Bool,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        invitation_id -> Nullable<BigInt>,
        badge_name -> Nullable<Text>,
        waitlisted_at -> Nullable<Timestamp>,
        offer_expires_at -> Nullable<Timestamp>,
        share_contact -> Bool,
        mailing_list -> Bool,
    }
}

diesel::table! {
    tracks (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        colour -> Text,
        description -> Text,
        position -> Integer,
    }
}

diesel::table! {
    rooms (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        capacity -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        uid -> Text,
        title -> Text,
        abstract_text -> Text,
        kind -> Text,
        track_id -> Nullable<BigInt>,
        room_id -> Nullable<BigInt>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        tlp -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    session_speakers (id) {
        id -> BigInt,
        session_id -> BigInt,
        position -> Integer,
        name -> Text,
        team -> Text,
        registration_id -> Nullable<BigInt>,
        email -> Text,
    }
}

diesel::table! {
    agenda_releases (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        number -> Integer,
        name -> Text,
        changes -> Text,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
    }
}

diesel::table! {
    released_sessions (id) {
        id -> BigInt,
        release_id -> BigInt,
        session_id -> BigInt,
        uid -> Text,
        sequence -> Integer,
        title -> Text,
        abstract_text -> Text,
        kind -> Text,
        track -> Nullable<Text>,
        track_colour -> Nullable<Text>,
        room -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        tlp -> Text,
        status -> Text,
        speakers -> Text,
        changed_at -> Timestamp,
        speaker_registrations -> Text,
    }
}

diesel::table! {
    agenda_picks (registration_id, session_id) {
        registration_id -> BigInt,
        session_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agenda_views (registration_id) {
        registration_id -> BigInt,
        release_number -> Integer,
    }
}

diesel::table! {
    openpgp_keys (user_id) {
        user_id -> BigInt,
        fingerprint -> Text,
        armored -> Text,
        expires_at -> Nullable<Timestamp>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        scope -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    feed_tokens (id) {
        id -> BigInt,
        registration_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    schedule_tokens (id) {
        id -> BigInt,
        registration_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    organizer_feed_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        meeting_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_settings (registration_id) {
        registration_id -> BigInt,
        feed_scope -> Text,
        session_invites -> Text,
        feed_changed_at -> Timestamp,
    }
}

diesel::table! {
    practical_information (meeting_id) {
        meeting_id -> BigInt,
        markdown -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invite_sequences (registration_id, uid) {
        registration_id -> BigInt,
        uid -> Text,
        sequence -> Integer,
        held -> Bool,
    }
}

diesel::table! {
    checkins (registration_id, day) {
        registration_id -> BigInt,
        day -> Date,
        checked_in_by -> Nullable<BigInt>,
        checked_in_at -> Timestamp,
    }
}

diesel::table! {
    security_log (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        event -> Text,
        client_ip -> Text,
        user_agent -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        prompt -> Text,
        hint -> Text,
        kind -> Text,
        required -> Bool,
        sensitive -> Bool,
        choices -> Text,
        position -> Integer,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        purpose -> Text,
    }
}

diesel::table! {
    answers (id) {
        id -> BigInt,
        registration_id -> BigInt,
        question_id -> BigInt,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calls (meeting_id) {
        meeting_id -> BigInt,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        pending_may_propose -> Bool,
        kinds -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposals (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        registration_id -> BigInt,
        title -> Text,
        abstract_text -> Text,
        kind -> Text,
        track_id -> Nullable<BigInt>,
        minutes -> Integer,
        tlp -> Text,
        state -> Text,
        session_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposal_speakers (id) {
        id -> BigInt,
        proposal_id -> BigInt,
        registration_id -> BigInt,
        by_address -> Bool,
        token_hash -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    proposal_comments (id) {
        id -> BigInt,
        proposal_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    proposal_scores (proposal_id, user_id) {
        proposal_id -> BigInt,
        user_id -> BigInt,
        score -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    unscheduled_sessions (session_id) {
        session_id -> BigInt,
    }
}

diesel::table! {
    reminder_settings (meeting_id) {
        meeting_id -> BigInt,
        days -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reminders (registration_id, days_before) {
        registration_id -> BigInt,
        days_before -> Integer,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    materials (id) {
        id -> BigInt,
        uid -> Text,
        session_id -> BigInt,
        uploaded_by -> Nullable<BigInt>,
        file_name -> Text,
        kind -> Text,
        tlp -> Text,
        byte_size -> BigInt,
        chunk_count -> Integer,
        created_at -> Timestamp,
        stored_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    material_chunks (material_id, position) {
        material_id -> BigInt,
        position -> Integer,
        bytes -> Binary,
    }
}

diesel::joinable!(team_domains -> teams (team_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(meetings -> first_editions (edition_id));
diesel::joinable!(invitations -> meetings (meeting_id));
diesel::joinable!(invitations -> teams (team_id));
diesel::joinable!(registrations -> meetings (meeting_id));
diesel::joinable!(registrations -> teams (team_id));
diesel::joinable!(registrations -> users (user_id));
diesel::joinable!(registrations -> invitations (invitation_id));
diesel::joinable!(tracks -> meetings (meeting_id));
diesel::joinable!(rooms -> meetings (meeting_id));
diesel::joinable!(sessions -> meetings (meeting_id));
diesel::joinable!(sessions -> tracks (track_id));
diesel::joinable!(sessions -> rooms (room_id));
diesel::joinable!(session_speakers -> sessions (session_id));
diesel::joinable!(session_speakers -> registrations (registration_id));
diesel::joinable!(agenda_releases -> meetings (meeting_id));
diesel::joinable!(released_sessions -> agenda_releases (release_id));
diesel::joinable!(agenda_picks -> registrations (registration_id));
diesel::joinable!(agenda_picks -> sessions (session_id));
diesel::joinable!(agenda_views -> registrations (registration_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(openpgp_keys -> users (user_id));
diesel::joinable!(feed_tokens -> registrations (registration_id));
diesel::joinable!(schedule_tokens -> registrations (registration_id));
diesel::joinable!(organizer_feed_tokens -> users (user_id));
diesel::joinable!(organizer_feed_tokens -> meetings (meeting_id));
diesel::joinable!(calendar_settings -> registrations (registration_id));
diesel::joinable!(invite_sequences -> registrations (registration_id));
diesel::joinable!(practical_information -> meetings (meeting_id));
diesel::joinable!(questions -> meetings (meeting_id));
diesel::joinable!(answers -> registrations (registration_id));
diesel::joinable!(answers -> questions (question_id));
diesel::joinable!(checkins -> registrations (registration_id));
diesel::joinable!(calls -> meetings (meeting_id));
diesel::joinable!(proposals -> meetings (meeting_id));
diesel::joinable!(proposals -> registrations (registration_id));
diesel::joinable!(proposals -> tracks (track_id));
diesel::joinable!(proposals -> sessions (session_id));
diesel::joinable!(proposal_speakers -> proposals (proposal_id));
diesel::joinable!(proposal_speakers -> registrations (registration_id));
diesel::joinable!(proposal_comments -> proposals (proposal_id));
diesel::joinable!(proposal_comments -> users (author_id));
diesel::joinable!(proposal_scores -> proposals (proposal_id));
diesel::joinable!(proposal_scores -> users (user_id));
diesel::joinable!(unscheduled_sessions -> sessions (session_id));
diesel::joinable!(reminder_settings -> meetings (meeting_id));
diesel::joinable!(reminders -> registrations (registration_id));
diesel::joinable!(materials -> sessions (session_id));
diesel::joinable!(materials -> users (uploaded_by));
diesel::joinable!(material_chunks -> materials (material_id));

diesel::table! {
    session_feedback (id) {
        id -> BigInt,
        session_id -> BigInt,
        registration_id -> BigInt,
        rating -> Integer,
        comment -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    guest_notices (session_id, email) {
        session_id -> BigInt,
        email -> Text,
    }
}

diesel::joinable!(guest_notices -> sessions (session_id));
diesel::joinable!(session_feedback -> sessions (session_id));
diesel::joinable!(session_feedback -> registrations (registration_id));

diesel::table! {
    team_contacts (id) {
        id -> BigInt,
        team_id -> BigInt,
        position -> Integer,
        name -> Text,
        email -> Text,
    }
}

diesel::table! {
    endorsement_requests (id) {
        id -> BigInt,
        registration_id -> BigInt,
        contact_name -> Text,
        contact_email -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
        answer -> Nullable<Text>,
        note -> Text,
        answered_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(team_contacts -> teams (team_id));
diesel::joinable!(endorsement_requests -> registrations (registration_id));

diesel::allow_tables_to_appear_in_same_query!(
    team_contacts,
    endorsement_requests,
    outbox,
    users,
    web_sessions,
    one_time_tokens,
    recovery_codes,
    audit_log,
    teams,
    team_domains,
    meetings,
    first_editions,
    invitations,
    registrations,
    tracks,
    rooms,
    sessions,
    session_speakers,
    agenda_releases,
    released_sessions,
    agenda_picks,
    agenda_views,
    api_tokens,
    openpgp_keys,
    feed_tokens,
    schedule_tokens,
    organizer_feed_tokens,
    calendar_settings,
    invite_sequences,
    security_log,
    practical_information,
    questions,
    answers,
    checkins,
    calls,
    proposals,
    proposal_speakers,
    proposal_comments,
    proposal_scores,
    unscheduled_sessions,
    session_feedback,
    reminder_settings,
    reminders,
    materials,
    material_chunks,
    guest_notices
);
