CREATE TABLE IF NOT EXISTS "export"."sources" (
  "id" text NOT NULL CHECK ("id" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "title" text NOT NULL CHECK (length("title") BETWEEN 1 AND 500 AND "title" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "chapter" text CHECK (length("chapter") <= 500 AND "chapter" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "pages" text CHECK (length("pages") <= 100 AND "pages" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "publisher" text CHECK (length("publisher") <= 500 AND "publisher" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "year" integer CHECK ("year" >= 1800 AND "year" <= 2100),
  "url" text CHECK (length("url") <= 2000 AND "url" ~ '^[Hh][Tt][Tt][Pp][Ss]?://'),
  "text" text CHECK (length("text") <= 500 AND "text" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "sha256" text CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
  "first_page" integer CHECK ("first_page" >= 1 AND "first_page" <= 100000),
  "dollar" text CHECK ("dollar" ~ '^[A-Z]{3}$'),
  PRIMARY KEY ("id")
);
CREATE TABLE IF NOT EXISTS "export"."investment_totals" (
  "id" text NOT NULL CHECK ("id" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "kind" text NOT NULL CHECK ("kind" IN ('investment_total')),
  "investor" text NOT NULL CHECK ("investor" ~ '^[A-Z]{2}$'),
  "recipient" text NOT NULL CHECK ("recipient" ~ '^[A-Z]{2}$'),
  "amount" numeric(18,3) NOT NULL CHECK ("amount" > 0 AND "amount" <= 10000000000000),
  "currency" text NOT NULL CHECK ("currency" ~ '^[A-Z]{3}$'),
  "qualifier" text NOT NULL CHECK ("qualifier" IN ('exact', 'about', 'over', 'under')),
  "as_of" date NOT NULL,
  "sectors" text[],
  "note" text CHECK (length("note") <= 1000 AND "note" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "derived" text,
  "source" text NOT NULL CHECK ("source" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "source_title" text NOT NULL,
  "page" integer CHECK ("page" >= 1 AND "page" <= 100000),
  "citation" text CHECK (length("citation") <= 500 AND "citation" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "authority" text CHECK (length("authority") <= 500 AND "authority" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote" text NOT NULL CHECK (length("quote") BETWEEN 10 AND 2000 AND "quote" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote_verified" boolean NOT NULL,
  "input_file" text NOT NULL,
  "input_line" bigint NOT NULL,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "export"."sources" ("id") DEFERRABLE INITIALLY DEFERRED,
  CHECK ("recipient" <> "investor")
);
CREATE TABLE IF NOT EXISTS "export"."investment_total_sectors" (
  "id" text NOT NULL,
  "position" integer NOT NULL CHECK ("position" >= 1),
  "sector" text NOT NULL CHECK ("sector" IN ('construction', 'trade', 'finance', 'information_technology', 'bus_manufacturing', 'oil_gas_equipment', 'chemical_equipment', 'white_goods', 'agriculture', 'machine_building', 'energy', 'mining', 'other')),
  PRIMARY KEY ("id", "sector"),
  FOREIGN KEY ("id") REFERENCES "export"."investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."investment_total_derived" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('investor', 'recipient', 'amount', 'currency', 'qualifier', 'as_of', 'page')),
  "reason" text NOT NULL CHECK (length("reason") BETWEEN 10 AND 500 AND "reason" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."investment_total_stated" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('investor', 'recipient', 'amount', 'currency', 'qualifier', 'as_of', 'page')),
  "text" text NOT NULL,
  "start" integer NOT NULL CHECK ("start" >= 0),
  "end" integer NOT NULL,
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."investment_totals" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "export"."enterprise_counts" (
  "id" text NOT NULL CHECK ("id" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "kind" text NOT NULL CHECK ("kind" IN ('enterprise_count')),
  "partner" text NOT NULL CHECK ("partner" ~ '^[A-Z]{2}$'),
  "host" text NOT NULL CHECK ("host" ~ '^[A-Z]{2}$'),
  "enterprises" bigint NOT NULL CHECK ("enterprises" >= 0 AND "enterprises" <= 9007199254740991),
  "qualifier" text NOT NULL CHECK ("qualifier" IN ('exact', 'about', 'over', 'under')),
  "joint_ventures" bigint CHECK ("joint_ventures" >= 0 AND "joint_ventures" <= 9007199254740991),
  "representative_offices" bigint CHECK ("representative_offices" >= 0 AND "representative_offices" <= 9007199254740991),
  "as_of" date,
  "note" text CHECK (length("note") <= 1000 AND "note" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "derived" text,
  "source" text NOT NULL CHECK ("source" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "source_title" text NOT NULL,
  "page" integer CHECK ("page" >= 1 AND "page" <= 100000),
  "citation" text CHECK (length("citation") <= 500 AND "citation" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "authority" text CHECK (length("authority") <= 500 AND "authority" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote" text NOT NULL CHECK (length("quote") BETWEEN 10 AND 2000 AND "quote" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote_verified" boolean NOT NULL,
  "input_file" text NOT NULL,
  "input_line" bigint NOT NULL,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "export"."sources" ("id") DEFERRABLE INITIALLY DEFERRED,
  CHECK ("host" <> "partner"),
  CHECK (coalesce("joint_ventures", 0) + coalesce("representative_offices", 0) <= "enterprises")
);
CREATE TABLE IF NOT EXISTS "export"."enterprise_count_derived" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('partner', 'host', 'enterprises', 'qualifier', 'joint_ventures', 'representative_offices', 'as_of', 'page')),
  "reason" text NOT NULL CHECK (length("reason") BETWEEN 10 AND 500 AND "reason" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."enterprise_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."enterprise_count_stated" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('partner', 'host', 'enterprises', 'qualifier', 'joint_ventures', 'representative_offices', 'as_of', 'page')),
  "text" text NOT NULL,
  "start" integer NOT NULL CHECK ("start" >= 0),
  "end" integer NOT NULL,
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."enterprise_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "export"."agreement_counts" (
  "id" text NOT NULL CHECK ("id" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "kind" text NOT NULL CHECK ("kind" IN ('agreement_count')),
  "parties" text[] NOT NULL CHECK (cardinality("parties") >= 2),
  "documents" bigint NOT NULL CHECK ("documents" >= 1 AND "documents" <= 9007199254740991),
  "qualifier" text NOT NULL CHECK ("qualifier" IN ('exact', 'about', 'over', 'under')),
  "areas" text[],
  "as_of" date,
  "note" text CHECK (length("note") <= 1000 AND "note" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "derived" text,
  "source" text NOT NULL CHECK ("source" ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  "source_title" text NOT NULL,
  "page" integer CHECK ("page" >= 1 AND "page" <= 100000),
  "citation" text CHECK (length("citation") <= 500 AND "citation" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "authority" text CHECK (length("authority") <= 500 AND "authority" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote" text NOT NULL CHECK (length("quote") BETWEEN 10 AND 2000 AND "quote" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  "quote_verified" boolean NOT NULL,
  "input_file" text NOT NULL,
  "input_line" bigint NOT NULL,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("source") REFERENCES "export"."sources" ("id") DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."agreement_count_parties" (
  "id" text NOT NULL,
  "position" integer NOT NULL CHECK ("position" >= 1),
  "party" text NOT NULL CHECK ("party" ~ '^[A-Z]{2}$'),
  PRIMARY KEY ("id", "party"),
  FOREIGN KEY ("id") REFERENCES "export"."agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."agreement_count_areas" (
  "id" text NOT NULL,
  "position" integer NOT NULL CHECK ("position" >= 1),
  "area" text NOT NULL CHECK ("area" IN ('culture', 'science_technology', 'education', 'information_technology', 'telecommunications', 'energy', 'mineral_resources', 'trade', 'tourism', 'sport', 'other')),
  PRIMARY KEY ("id", "area"),
  FOREIGN KEY ("id") REFERENCES "export"."agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."agreement_count_derived" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('parties', 'documents', 'qualifier', 'as_of', 'page')),
  "reason" text NOT NULL CHECK (length("reason") BETWEEN 10 AND 500 AND "reason" ~ '^[^\x00-\x1f\x7f-\x9f￾￿]*$'),
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS "export"."agreement_count_stated" (
  "id" text NOT NULL,
  "field" text NOT NULL CHECK ("field" IN ('parties', 'documents', 'qualifier', 'as_of', 'page')),
  "text" text NOT NULL,
  "start" integer NOT NULL CHECK ("start" >= 0),
  "end" integer NOT NULL,
  PRIMARY KEY ("id", "field"),
  FOREIGN KEY ("id") REFERENCES "export"."agreement_counts" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  CHECK ("start" <= "end")
);
CREATE TABLE IF NOT EXISTS "export"."_columns" (
  "table_name" text NOT NULL,
  "column_name" text NOT NULL,
  "position" integer NOT NULL,
  "type" text NOT NULL,
  "not_null" boolean NOT NULL,
  "description" text NOT NULL,
  "rules" text,
  PRIMARY KEY ("table_name", "column_name")
);
CREATE TABLE IF NOT EXISTS "export"."_tables" (
  "table_name" text NOT NULL,
  "description" text NOT NULL,
  PRIMARY KEY ("table_name")
);
CREATE OR REPLACE VIEW "export"."figures" AS
SELECT "id", "kind", "amount"::numeric AS "value", "currency" AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "export"."investment_totals"
UNION ALL
SELECT "id", "kind", "enterprises"::numeric AS "value", 'enterprises' AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "export"."enterprise_counts"
UNION ALL
SELECT "id", "kind", "documents"::numeric AS "value", 'documents' AS "unit", "qualifier", "as_of", "note", "derived", "source", "source_title", "page", "citation", "authority", "quote", "quote_verified", "input_file", "input_line" FROM "export"."agreement_counts";
