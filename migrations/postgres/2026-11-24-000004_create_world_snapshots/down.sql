DROP TABLE world_snapshots;
