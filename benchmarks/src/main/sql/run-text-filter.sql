-- The Runs list's text filter with and without the trigram indexes of V43, on 100,000 runs. Run it in a scratch
-- database (it creates its own table 'run'): psql -d scratch -f benchmarks/src/main/sql/run-text-filter.sql
-- Same WHERE clause as RunSpecifications' text filter (the lower(...) LIKE '%text%' of the four columns).
CREATE TABLE run (run_id text PRIMARY KEY, name text NOT NULL, model_name text NOT NULL, architecture text NOT NULL);
INSERT INTO run SELECT 'run-' || i || '-' || md5(i::text), 'batch ' || i, 'model-' || (i % 50), CASE WHEN i % 3 = 0 THEN 'Qwen2MoeForCausalLM' ELSE 'MixtralForCausalLM' END FROM generate_series(0, 99999) i;
ANALYZE run;
\timing on
EXPLAIN ANALYZE SELECT count(*) FROM run WHERE lower(name) LIKE '%batch 4242%' OR lower(run_id) LIKE '%batch 4242%' OR lower(model_name) LIKE '%batch 4242%' OR lower(architecture) LIKE '%batch 4242%';
CREATE EXTENSION pg_trgm;
CREATE INDEX run_name_trgm ON run USING gin (lower(name) gin_trgm_ops);
CREATE INDEX run_id_trgm ON run USING gin (lower(run_id) gin_trgm_ops);
CREATE INDEX run_model_name_trgm ON run USING gin (lower(model_name) gin_trgm_ops);
CREATE INDEX run_architecture_trgm ON run USING gin (lower(architecture) gin_trgm_ops);
ANALYZE run;
EXPLAIN ANALYZE SELECT count(*) FROM run WHERE lower(name) LIKE '%batch 4242%' OR lower(run_id) LIKE '%batch 4242%' OR lower(model_name) LIKE '%batch 4242%' OR lower(architecture) LIKE '%batch 4242%';
EXPLAIN ANALYZE SELECT count(*) FROM run WHERE lower(name) LIKE '%batch 4242%' OR lower(run_id) LIKE '%batch 4242%' OR lower(model_name) LIKE '%batch 4242%' OR lower(architecture) LIKE '%batch 4242%';
