// Parses the "<model_id> scores: v0 v1 ..." line the reference firmware prints.
#pragma once
#include <sstream>
#include <string>
#include <vector>

namespace mcusim::test {

/// The values after "<model_id> scores:" on `console`; empty when the line is missing.
inline std::vector<int> console_scores(const std::string& console, const std::string& model_id) {
  const std::string key = model_id + " scores:";
  auto pos = console.find(key);
  if (pos == std::string::npos) return {};
  std::istringstream in(console.substr(pos + key.size(), console.find('\n', pos) - pos - key.size()));
  std::vector<int> v;
  for (int x; in >> x;) v.push_back(x);
  return v;
}

}  // namespace mcusim::test
