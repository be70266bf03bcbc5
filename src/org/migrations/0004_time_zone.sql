-- Each library keeps its own clock: dates of loans, receipts and registration numbers are its local dates.
-- Kazakhstan has one offset (UTC+5) since March 2024; a library elsewhere sets its own zone.
ALTER TABLE org.organisations ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Almaty';
