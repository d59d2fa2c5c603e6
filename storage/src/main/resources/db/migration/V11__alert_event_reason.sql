-- Why an alert changed state, in words: the breach or clear, "run ended (FINISHED)", or "no data for longer than
-- the 60 s window" (alerts of runs that stopped resolve instead of firing for ever). NULL in older rows.
ALTER TABLE alert_event ADD COLUMN reason text;
