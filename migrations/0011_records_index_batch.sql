-- Reserved: records search index written by statements per batch instead of per-row insert triggers.
SELECT 1;
