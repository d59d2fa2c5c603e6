-- The text of each token id a probe run used (prompt and generated), as the run's tokenizer shows the token in
-- running text (issue 7, token view): written by ingest from the run's workload (topic moescope.workloads), since
-- the server does not have the run's tokenizer. Imported runs record ids only and have no rows; the token view then
-- shows ids. One row per distinct id, so a run's texts are bounded by its vocabulary, not by its length.
CREATE TABLE token_text (
    run_id   text    NOT NULL,
    token_id integer NOT NULL,
    text     text    NOT NULL,
    PRIMARY KEY (run_id, token_id)
);
