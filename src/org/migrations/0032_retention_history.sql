-- The histories that had no period of their own (Law No. 94-V, art. 12): the reading movement's
-- records, returned textbook issues, and the personal link of settled losses. The daily job applies
-- them; what the reports count is kept as numbers first (reading.kept_books, textbooks.kept_issues).
ALTER TABLE org.retention
  ADD COLUMN reading_days   integer NOT NULL DEFAULT 1095 CHECK (reading_days BETWEEN 365 AND 3650),
  ADD COLUMN textbooks_days integer NOT NULL DEFAULT 1095 CHECK (textbooks_days BETWEEN 365 AND 3650),
  ADD COLUMN losses_days    integer NOT NULL DEFAULT 1095 CHECK (losses_days BETWEEN 365 AND 3650);
