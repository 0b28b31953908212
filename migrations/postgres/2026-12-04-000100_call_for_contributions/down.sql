DROP TABLE unscheduled_sessions;
DROP TABLE proposal_scores;
DROP TABLE proposal_comments;
DROP TABLE proposal_speakers;
DROP TABLE proposals;
DROP TABLE calls;
