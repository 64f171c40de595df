-- Reserved: records store at scale (insert path, answer index, author index). Filled in by the records helper.
SELECT 1;
