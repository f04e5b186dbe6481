#include "sync/central/http/http_message.h"

#include <algorithm>
#include <cctype>

namespace feedback::central::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Find(const std::vector<std::pair<std::string, std::string>>& list,
                      std::string_view name, bool ignore_case) {
  for (const auto& [k, v] : list) {
    if (ignore_case ? EqualsIgnoreCase(k, name) : k == name) return v;
  }
  return {};
}

}  // namespace

std::string_view Request::Header(std::string_view name) const { return Find(headers, name, true); }
std::string_view Request::Query(std::string_view name) const { return Find(query, name, false); }
std::string_view Request::PathParam(std::string_view name) const {
  return Find(path_params, name, false);
}

}  // namespace feedback::central::http
