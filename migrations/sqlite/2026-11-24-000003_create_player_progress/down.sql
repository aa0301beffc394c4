DROP TABLE player_progress;
