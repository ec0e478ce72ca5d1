CREATE TABLE IF NOT EXISTS "sources" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text' AND "id" GLOB '[0-9a-z]*' AND length("id") <= 64 AND substr("id", 2) NOT GLOB '*[^0-9a-z-]*'),
  "title" TEXT NOT NULL CHECK (typeof("title") = 'text' AND length("title") BETWEEN 1 AND 500 AND "title" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  "chapter" TEXT CHECK ("chapter" IS NULL OR (typeof("chapter") = 'text' AND length("chapter") <= 500 AND "chapter" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "pages" TEXT CHECK ("pages" IS NULL OR (typeof("pages") = 'text' AND length("pages") <= 100 AND "pages" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "publisher" TEXT CHECK ("publisher" IS NULL OR (typeof("publisher") = 'text' AND length("publisher") <= 500 AND "publisher" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "year" INTEGER CHECK ("year" IS NULL OR (typeof("year") = 'integer' AND "year" >= 1800 AND "year" <= 2100)),
  "url" TEXT CHECK ("url" IS NULL OR (typeof("url") = 'text' AND length("url") <= 2000 AND ("url" GLOB '[Hh][Tt][Tt][Pp]://*' OR "url" GLOB '[Hh][Tt][Tt][Pp][Ss]://*'))),
  "text" TEXT CHECK ("text" IS NULL OR (typeof("text") = 'text' AND length("text") <= 500 AND "text" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "sha256" TEXT CHECK ("sha256" IS NULL OR (typeof("sha256") = 'text' AND "sha256" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')),
  "first_page" INTEGER CHECK ("first_page" IS NULL OR (typeof("first_page") = 'integer' AND "first_page" >= 1 AND "first_page" <= 100000)),
  "dollar" TEXT CHECK ("dollar" IS NULL OR (typeof("dollar") = 'text' AND "dollar" GLOB '[A-Z][A-Z][A-Z]')),
  PRIMARY KEY ("id")
);
CREATE TABLE IF NOT EXISTS "investment_totals" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text' AND "id" GLOB '[0-9a-z]*' AND length("id") <= 64 AND substr("id", 2) NOT GLOB '*[^0-9a-z-]*'),
  "kind" TEXT NOT NULL CHECK (typeof("kind") = 'text' AND "kind" IN ('investment_total')),
  "investor" TEXT NOT NULL CHECK (typeof("investor") = 'text' AND "investor" GLOB '[A-Z][A-Z]'),
  "recipient" TEXT NOT NULL CHECK (typeof("recipient") = 'text' AND "recipient" GLOB '[A-Z][A-Z]'),
  "amount" DECIMAL(18,3) NOT NULL CHECK (typeof("amount") IN ('integer', 'real') AND "amount" > 0 AND "amount" <= 10000000000000),
  "currency" TEXT NOT NULL CHECK (typeof("currency") = 'text' AND "currency" GLOB '[A-Z][A-Z][A-Z]'),
  "qualifier" TEXT NOT NULL CHECK (typeof("qualifier") = 'text' AND "qualifier" IN ('exact', 'about', 'over', 'under')),
  "as_of" DATE NOT NULL CHECK (typeof("as_of") = 'text' AND "as_of" IS date("as_of", '+0 days')),
  "sectors" TEXT CHECK ("sectors" IS NULL OR (json_valid("sectors") AND json_type("sectors") = 'array')),
  "note" TEXT CHECK ("note" IS NULL OR (typeof("note") = 'text' AND length("note") <= 1000 AND "note" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "derived" TEXT CHECK ("derived" IS NULL OR (typeof("derived") = 'text')),
  "source" TEXT NOT NULL CHECK (typeof("source") = 'text' AND "source" GLOB '[0-9a-z]*' AND length("source") <= 64 AND substr("source", 2) NOT GLOB '*[^0-9a-z-]*'),
  "source_title" TEXT NOT NULL CHECK (typeof("source_title") = 'text'),
  "page" INTEGER CHECK ("page" IS NULL OR (typeof("page") = 'integer' AND "page" >= 1 AND "page" <= 100000)),
  "citation" TEXT CHECK ("citation" IS NULL OR (typeof("citation") = 'text' AND length("citation") <= 500 AND "citation" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "authority" TEXT CHECK ("authority" IS NULL OR (typeof("authority") = 'text' AND length("authority") <= 500 AND "authority" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "quote" TEXT NOT NULL CHECK (typeof("quote") = 'text' AND length("quote") BETWEEN 10 AND 2000 AND "quote" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  "quote_verified" BOOLEAN NOT NULL CHECK ("quote_verified" IN (0, 1)),
  "input_file" TEXT NOT NULL CHECK (typeof("input_file") = 'text'),
  "input_line" INTEGER NOT NULL CHECK (typeof("input_line") = 'integer'),
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "sources" ("id") DEFERRABLE INITIALLY DEFERRED,
  CHECK ("recipient" <> "investor")
);
CREATE TABLE IF NOT EXISTS "investment_total_sectors" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "position" INTEGER NOT NULL CHECK (typeof("position") = 'integer' AND "position" >= 1),
  "sector" TEXT NOT NULL CHECK (typeof("sector") = 'text' AND "sector" IN ('construction', 'trade', 'finance', 'information_technology', 'bus_manufacturing', 'oil_gas_equipment', 'chemical_equipment', 'white_goods', 'agriculture', 'machine_building', 'energy', 'mining', 'other')),
  PRIMARY KEY ("id", "sector"),
  FOREIGN KEY ("id") REFERENCES "investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "investment_total_derived" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('investor', 'recipient', 'amount', 'currency', 'qualifier', 'as_of', 'page')),
  "reason" TEXT NOT NULL CHECK (typeof("reason") = 'text' AND length("reason") BETWEEN 10 AND 500 AND "reason" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "investment_total_stated" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('investor', 'recipient', 'amount', 'currency', 'qualifier', 'as_of', 'page')),
  "text" TEXT NOT NULL CHECK (typeof("text") = 'text'),
  "start" INTEGER NOT NULL CHECK (typeof("start") = 'integer' AND "start" >= 0),
  "end" INTEGER NOT NULL CHECK (typeof("end") = 'integer'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "enterprise_counts" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text' AND "id" GLOB '[0-9a-z]*' AND length("id") <= 64 AND substr("id", 2) NOT GLOB '*[^0-9a-z-]*'),
  "kind" TEXT NOT NULL CHECK (typeof("kind") = 'text' AND "kind" IN ('enterprise_count')),
  "partner" TEXT NOT NULL CHECK (typeof("partner") = 'text' AND "partner" GLOB '[A-Z][A-Z]'),
  "host" TEXT NOT NULL CHECK (typeof("host") = 'text' AND "host" GLOB '[A-Z][A-Z]'),
  "enterprises" INTEGER NOT NULL CHECK (typeof("enterprises") = 'integer' AND "enterprises" >= 0 AND "enterprises" <= 9007199254740991),
  "qualifier" TEXT NOT NULL CHECK (typeof("qualifier") = 'text' AND "qualifier" IN ('exact', 'about', 'over', 'under')),
  "joint_ventures" INTEGER CHECK ("joint_ventures" IS NULL OR (typeof("joint_ventures") = 'integer' AND "joint_ventures" >= 0 AND "joint_ventures" <= 9007199254740991)),
  "representative_offices" INTEGER CHECK ("representative_offices" IS NULL OR (typeof("representative_offices") = 'integer' AND "representative_offices" >= 0 AND "representative_offices" <= 9007199254740991)),
  "as_of" DATE CHECK ("as_of" IS NULL OR (typeof("as_of") = 'text' AND "as_of" IS date("as_of", '+0 days'))),
  "note" TEXT CHECK ("note" IS NULL OR (typeof("note") = 'text' AND length("note") <= 1000 AND "note" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "derived" TEXT CHECK ("derived" IS NULL OR (typeof("derived") = 'text')),
  "source" TEXT NOT NULL CHECK (typeof("source") = 'text' AND "source" GLOB '[0-9a-z]*' AND length("source") <= 64 AND substr("source", 2) NOT GLOB '*[^0-9a-z-]*'),
  "source_title" TEXT NOT NULL CHECK (typeof("source_title") = 'text'),
  "page" INTEGER CHECK ("page" IS NULL OR (typeof("page") = 'integer' AND "page" >= 1 AND "page" <= 100000)),
  "citation" TEXT CHECK ("citation" IS NULL OR (typeof("citation") = 'text' AND length("citation") <= 500 AND "citation" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "authority" TEXT CHECK ("authority" IS NULL OR (typeof("authority") = 'text' AND length("authority") <= 500 AND "authority" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "quote" TEXT NOT NULL CHECK (typeof("quote") = 'text' AND length("quote") BETWEEN 10 AND 2000 AND "quote" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  "quote_verified" BOOLEAN NOT NULL CHECK ("quote_verified" IN (0, 1)),
  "input_file" TEXT NOT NULL CHECK (typeof("input_file") = 'text'),
  "input_line" INTEGER NOT NULL CHECK (typeof("input_line") = 'integer'),
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "sources" ("id") DEFERRABLE INITIALLY DEFERRED,
  CHECK ("host" <> "partner"),
  CHECK (coalesce("joint_ventures", 0) + coalesce("representative_offices", 0) <= "enterprises")
);
CREATE TABLE IF NOT EXISTS "enterprise_count_derived" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('partner', 'host', 'enterprises', 'qualifier', 'joint_ventures', 'representative_offices', 'as_of', 'page')),
  "reason" TEXT NOT NULL CHECK (typeof("reason") = 'text' AND length("reason") BETWEEN 10 AND 500 AND "reason" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "enterprise_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "enterprise_count_stated" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('partner', 'host', 'enterprises', 'qualifier', 'joint_ventures', 'representative_offices', 'as_of', 'page')),
  "text" TEXT NOT NULL CHECK (typeof("text") = 'text'),
  "start" INTEGER NOT NULL CHECK (typeof("start") = 'integer' AND "start" >= 0),
  "end" INTEGER NOT NULL CHECK (typeof("end") = 'integer'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "enterprise_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "agreement_counts" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text' AND "id" GLOB '[0-9a-z]*' AND length("id") <= 64 AND substr("id", 2) NOT GLOB '*[^0-9a-z-]*'),
  "kind" TEXT NOT NULL CHECK (typeof("kind") = 'text' AND "kind" IN ('agreement_count')),
  "parties" TEXT NOT NULL CHECK (json_valid("parties") AND json_type("parties") = 'array' AND json_array_length("parties") >= 2),
  "documents" INTEGER NOT NULL CHECK (typeof("documents") = 'integer' AND "documents" >= 1 AND "documents" <= 9007199254740991),
  "qualifier" TEXT NOT NULL CHECK (typeof("qualifier") = 'text' AND "qualifier" IN ('exact', 'about', 'over', 'under')),
  "areas" TEXT CHECK ("areas" IS NULL OR (json_valid("areas") AND json_type("areas") = 'array')),
  "as_of" DATE CHECK ("as_of" IS NULL OR (typeof("as_of") = 'text' AND "as_of" IS date("as_of", '+0 days'))),
  "note" TEXT CHECK ("note" IS NULL OR (typeof("note") = 'text' AND length("note") <= 1000 AND "note" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "derived" TEXT CHECK ("derived" IS NULL OR (typeof("derived") = 'text')),
  "source" TEXT NOT NULL CHECK (typeof("source") = 'text' AND "source" GLOB '[0-9a-z]*' AND length("source") <= 64 AND substr("source", 2) NOT GLOB '*[^0-9a-z-]*'),
  "source_title" TEXT NOT NULL CHECK (typeof("source_title") = 'text'),
  "page" INTEGER CHECK ("page" IS NULL OR (typeof("page") = 'integer' AND "page" >= 1 AND "page" <= 100000)),
  "citation" TEXT CHECK ("citation" IS NULL OR (typeof("citation") = 'text' AND length("citation") <= 500 AND "citation" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "authority" TEXT CHECK ("authority" IS NULL OR (typeof("authority") = 'text' AND length("authority") <= 500 AND "authority" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*'))),
  "quote" TEXT NOT NULL CHECK (typeof("quote") = 'text' AND length("quote") BETWEEN 10 AND 2000 AND "quote" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  "quote_verified" BOOLEAN NOT NULL CHECK ("quote_verified" IN (0, 1)),
  "input_file" TEXT NOT NULL CHECK (typeof("input_file") = 'text'),
  "input_line" INTEGER NOT NULL CHECK (typeof("input_line") = 'integer'),
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "sources" ("id") DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "agreement_count_parties" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "position" INTEGER NOT NULL CHECK (typeof("position") = 'integer' AND "position" >= 1),
  "party" TEXT NOT NULL CHECK (typeof("party") = 'text' AND "party" GLOB '[A-Z][A-Z]'),
  PRIMARY KEY ("id", "party"),
  FOREIGN KEY ("id") REFERENCES "agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "agreement_count_areas" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "position" INTEGER NOT NULL CHECK (typeof("position") = 'integer' AND "position" >= 1),
  "area" TEXT NOT NULL CHECK (typeof("area") = 'text' AND "area" IN ('culture', 'science_technology', 'education', 'information_technology', 'telecommunications', 'energy', 'mineral_resources', 'trade', 'tourism', 'sport', 'other')),
  PRIMARY KEY ("id", "area"),
  FOREIGN KEY ("id") REFERENCES "agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "agreement_count_derived" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('parties', 'documents', 'qualifier', 'as_of', 'page')),
  "reason" TEXT NOT NULL CHECK (typeof("reason") = 'text' AND length("reason") BETWEEN 10 AND 500 AND "reason" NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(65534) || char(65535) || ']*')),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "agreement_count_stated" (
  "id" TEXT NOT NULL CHECK (typeof("id") = 'text'),
  "field" TEXT NOT NULL CHECK (typeof("field") = 'text' AND "field" IN ('parties', 'documents', 'qualifier', 'as_of', 'page')),
  "text" TEXT NOT NULL CHECK (typeof("text") = 'text'),
  "start" INTEGER NOT NULL CHECK (typeof("start") = 'integer' AND "start" >= 0),
  "end" INTEGER NOT NULL CHECK (typeof("end") = 'integer'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "_columns" (
  "table_name" TEXT NOT NULL CHECK (typeof("table_name") = 'text'),
  "column_name" TEXT NOT NULL CHECK (typeof("column_name") = 'text'),
  "position" INTEGER NOT NULL CHECK (typeof("position") = 'integer'),
  "type" TEXT NOT NULL CHECK (typeof("type") = 'text'),
  "not_null" BOOLEAN NOT NULL CHECK ("not_null" IN (0, 1)),
  "description" TEXT NOT NULL CHECK (typeof("description") = 'text'),
  "rules" TEXT CHECK ("rules" IS NULL OR (typeof("rules") = 'text')),
  PRIMARY KEY ("table_name", "column_name")
);
CREATE TABLE IF NOT EXISTS "_tables" (
  "table_name" TEXT NOT NULL CHECK (typeof("table_name") = 'text'),
  "description" TEXT NOT NULL CHECK (typeof("description") = 'text'),
  PRIMARY KEY ("table_name")
);
CREATE VIEW IF NOT EXISTS "figures" AS
SELECT "id", "kind", "amount" AS "value", "currency" AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "investment_totals"
UNION ALL
SELECT "id", "kind", "enterprises" AS "value", 'enterprises' AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "enterprise_counts"
UNION ALL
SELECT "id", "kind", "documents" AS "value", 'documents' AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "agreement_counts";
