"""Column lists of the formats the importers read, as their codebooks give them."""

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
]
GED_COLUMNS = [
    "id", "date_start", "date_end", "date_prec", "where_prec", "latitude", "longitude",
    "adm_1", "adm_2", "country", "side_a", "side_b", "type_of_violence", "best", "low",
    "high", "deaths_civilians", "source_article", "source_office", "source_headline",
]
