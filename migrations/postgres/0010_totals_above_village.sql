-- A village's totals are summed from its TPS when read (about ten TPS at national scale):
-- its row was shared by almost no two forms of a group commit, so keeping it cost every
-- form a quarter of its region rows. region_totals and region_votes now hold the district,
-- regency/city and province levels only.
DELETE FROM region_votes WHERE LENGTH(region_code) - LENGTH(REPLACE(region_code, '.', '')) = 3;
DELETE FROM region_totals WHERE LENGTH(region_code) - LENGTH(REPLACE(region_code, '.', '')) = 3;
