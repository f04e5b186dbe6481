// The score answers of the records a central store holds, straight from
// records.public_json (the store keeps no per-answer table): a SQL table
// expression with one row per (record_id, question_id, question_type, score).
// question_type follows the question ids of the seed surveys (sync/central/seed.cpp)
// and the shipped ones: nps, satisfaction (csat), effort (ces), else rating.
#pragma once

namespace feedback::central {

inline constexpr const char* kRawScores =
    "(SELECT r.record_id AS record_id, json_extract(a.value, '$.q') AS question_id, "
    "CASE json_extract(a.value, '$.q') WHEN 'nps' THEN 'nps' WHEN 'satisfaction' THEN 'csat' "
    "WHEN 'effort' THEN 'ces' ELSE 'rating' END AS question_type, "
    "json_extract(a.value, '$.n') AS score "
    "FROM records r, json_each(r.public_json, '$.answers') a "
    "WHERE json_type(a.value, '$.n') = 'integer')";

}  // namespace feedback::central
