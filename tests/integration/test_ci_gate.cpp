// The CI and design-space features: results schema v2 (round trip, validation, determinism),
// `mcusim compare` exit codes on crafted baselines and its JUnit XML, `mcusim sweep` (cartesian
// product, invalid rows, shards) and `mcusim merge`. Uses the AD task (the fastest) only.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>

#include "firmware_paths.h"
#include "mcusim/compare.h"
#include "mcusim/base/errors.h"
#include "mcusim/formats.h"
#include "mcusim/results_doc.h"
#include "mcusim/sweep.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

const std::string kTmp = std::string(TEST_TMP) + "/ci_gate";

struct Cli {
  int rc;
  std::string out;  // stdout and stderr
};

Cli cli(const std::string& args) {
  std::string cmd = std::string(MCUSIM_BIN) + " " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p.get())) > 0;) out.append(buf, n);
  int status = pclose(p.release());
  return {WEXITSTATUS(status), out};
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string tmp(const std::string& name) { return kTmp + "/" + name; }

// One real bench result (ad, optimized kernels), made once for the suite.
class CiGate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::filesystem::create_directories(kTmp);
    auto r = cli("bench --task ad --kernels optimized --json " + tmp("ad.json"));
    ASSERT_EQ(r.rc, 0) << r.out;
    base_ = new ojson(read_results_file(tmp("ad.json")));
  }
  static void TearDownTestSuite() { delete base_; }

  // Writes `doc` as a results file and returns its path.
  static std::string write(const std::string& name, const ojson& doc) {
    spit(tmp(name), dump_document(doc));
    return tmp(name);
  }
  static ojson& inference(ojson& doc) { return doc["results"][0]["inference"]; }
  static ojson* base_;
};
ojson* CiGate::base_ = nullptr;

// --- results schema -----------------------------------------------------------------------------

TEST_F(CiGate, ResultsRoundTripByteForByte) {
  const std::string text = slurp(tmp("ad.json"));
  EXPECT_EQ(dump_document(*base_), text);
  const auto& e = (*base_)["results"][0];
  EXPECT_EQ((*base_)["schema_version"], 2);
  EXPECT_EQ((*base_)["command"], "bench");
  EXPECT_EQ(e["task"], "ad");
  EXPECT_EQ(e["kernels"], "optimized");
  EXPECT_EQ(e["firmware"], "ad-optimized.elf");
  EXPECT_EQ(e["status"], "ok");
  EXPECT_GT(e["inference"]["cycles"].get<std::uint64_t>(), 0u);
  EXPECT_GT(e["inference"]["energy"]["total_pj"].get<double>(), 0.0);
  EXPECT_GT(e["footprint"]["flash_bytes"].get<std::uint64_t>(), 0u);
  // No host path anywhere in the document.
  EXPECT_EQ(text.find(MCUSIM_FIRMWARE_DIR), std::string::npos);
  EXPECT_EQ(text.find("/work/"), std::string::npos);
}

TEST_F(CiGate, TwoRunsGiveByteIdenticalJson) {
  ASSERT_EQ(cli("bench --task ad --kernels optimized --json " + tmp("ad-again.json")).rc, 0);
  EXPECT_EQ(slurp(tmp("ad-again.json")), slurp(tmp("ad.json")));
  const std::string elf = std::string(SNIPPET_DIR) + "/core_m4.elf";
  ASSERT_EQ(cli("run " + elf + " -q --json " + tmp("r1.json")).rc, 0);
  ASSERT_EQ(cli("run " + elf + " -q --json " + tmp("r2.json")).rc, 0);
  EXPECT_EQ(slurp(tmp("r1.json")), slurp(tmp("r2.json")));
  EXPECT_NO_THROW(read_results_file(tmp("r1.json")));
}

std::string validation_error(const ojson& doc) {
  try {
    validate_results(doc, "doc.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST_F(CiGate, ValidationNamesTheOffendingField) {
  EXPECT_EQ(validation_error(*base_), "");
  ojson d = *base_;
  d["results"][0]["inference"].erase("cycles");
  EXPECT_EQ(validation_error(d), "doc.json: results[0].inference.cycles: missing; expected an unsigned integer");
  d = *base_;
  d["results"][0]["footprint"]["flash_bytes"] = "big";
  EXPECT_EQ(validation_error(d),
            "doc.json: results[0].footprint.flash_bytes: expected an unsigned integer, found string \"big\"");
  d = *base_;
  d["results"][0]["status"] = "great";
  EXPECT_NE(validation_error(d).find("results[0].status: expected one of \"ok\", \"failed\", \"error\""),
            std::string::npos);
  d = *base_;
  d["schema_version"] = 1;
  EXPECT_NE(validation_error(d).find("schema mismatch: the file has schema_version 1, this mcusim reads 2"),
            std::string::npos);
  d = *base_;
  d["results"][0]["regions"][1]["counters"]["energy"].erase("total_pj");
  EXPECT_NE(validation_error(d).find("results[0].regions[1].counters.energy.total_pj: missing"), std::string::npos);
  EXPECT_NE(validation_error(ojson::array()).find("expected a JSON object"), std::string::npos);
  // Unknown keys are allowed (additions do not bump the version).
  d = *base_;
  d["results"][0]["inference"]["energy"]["sources"] = ojson::object();
  EXPECT_EQ(validation_error(d), "");
}

// --- compare --------------------------------------------------------------------------------------

TEST_F(CiGate, CompareIdenticalAndImprovedPass) {
  const std::string cur = tmp("ad.json");
  auto same = cli("compare " + cur + " " + cur);
  EXPECT_EQ(same.rc, 0) << same.out;
  EXPECT_NE(same.out.find("PASS"), std::string::npos) << same.out;

  ojson worse = *base_;  // the baseline was slower: the current run is an improvement
  inference(worse)["cycles"] = inference(worse)["cycles"].get<std::uint64_t>() + 1000;
  auto r = cli("compare " + write("worse-base.json", worse) + " " + cur);
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("improved"), std::string::npos) << r.out;
}

TEST_F(CiGate, CompareRegressionBeyondToleranceFails) {
  ojson better = *base_;  // the baseline was faster and smaller: the current run regressed
  const auto cycles = inference(better)["cycles"].get<std::uint64_t>();
  inference(better)["cycles"] = cycles - 1000;
  better["results"][0]["footprint"]["flash_bytes"] =
      better["results"][0]["footprint"]["flash_bytes"].get<std::uint64_t>() - 300;
  const std::string base = write("better-base.json", better), cur = tmp("ad.json");
  auto r = cli("compare " + base + " " + cur + " --junit " + tmp("junit.xml"));
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("REGRESSED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+1,000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL: 2 metrics regressed"), std::string::npos) << r.out;

  // Within the tolerances: 1000 cycles of ~750,000 is < 1 %, 300 B < 512 B.
  auto ok = cli("compare " + base + " " + cur + " --tolerance cycles=1% --tolerance flash=512B");
  EXPECT_EQ(ok.rc, 0) << ok.out;
  EXPECT_NE(ok.out.find("within tolerance"), std::string::npos) << ok.out;
  // One tolerance is not enough.
  EXPECT_EQ(cli("compare " + base + " " + cur + " --tolerance cycles=1%").rc, 1);
  // Absolute cycle tolerance just below the change.
  EXPECT_EQ(cli("compare " + base + " " + cur + " --tolerance cycles=999 --tolerance flash=1KiB").rc, 1);
  EXPECT_EQ(cli("compare " + base + " " + cur + " --tolerance cycles=1000 --tolerance flash=1KiB").rc, 0);

  // Markdown for a pull-request comment.
  auto md = cli("compare " + base + " " + cur + " --format markdown");
  EXPECT_EQ(md.rc, 1);
  EXPECT_NE(md.out.find("### mcusim compare: FAIL"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| ad/optimized | inference | cycles |"), std::string::npos) << md.out;
}

TEST_F(CiGate, CompareUnusableInputIsExitCode2NamingTheProblem) {
  const std::string cur = tmp("ad.json");
  ojson other = *base_;
  other["results"][0]["board"]["name"] = "other-board";
  auto r = cli("compare " + write("other-board.json", other) + " " + cur);
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("different boards: ad/optimized ran on other-board"), std::string::npos) << r.out;

  ojson task = *base_;
  task["results"][0]["task"] = "kws";
  r = cli("compare " + write("other-task.json", task) + " " + cur);
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("different tasks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kws/optimized"), std::string::npos) << r.out;

  std::string text = slurp(cur);
  spit(tmp("corrupt.json"), text.substr(0, text.size() / 2));
  r = cli("compare " + tmp("corrupt.json") + " " + cur + " --junit " + tmp("junit-error.xml"));
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find(tmp("corrupt.json") + ": not valid JSON"), std::string::npos) << r.out;
  EXPECT_NE(slurp(tmp("junit-error.xml")).find("<error message="), std::string::npos);

  r = cli("compare " + tmp("no-such.json") + " " + cur);
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("no-such.json: cannot read"), std::string::npos) << r.out;

  ojson v1 = *base_;
  v1["schema_version"] = 1;
  r = cli("compare " + write("v1.json", v1) + " " + cur);
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("schema mismatch"), std::string::npos) << r.out;

  EXPECT_EQ(cli("compare " + cur + " " + cur + " --tolerance speed=1%").rc, 2);
  EXPECT_EQ(cli("compare " + cur + " " + cur + " --tolerance flash=1ms").rc, 2);
}

// A minimal XML reader: enough to check the shape of the JUnit report (elements, attributes,
// entities), and that it is well-formed (every element closed in order).
struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<XmlNode> children;
  std::string text;
};

std::string xml_unescape(const std::string& s) {
  static const std::map<std::string, std::string> ents = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"#10", "\n"}, {"#9", "\t"}, {"#13", "\r"}};
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string::npos) throw std::runtime_error("bare & in XML");
    auto it = ents.find(s.substr(i + 1, semi - i - 1));
    if (it == ents.end()) throw std::runtime_error("unknown entity " + s.substr(i, semi - i + 1));
    out += it->second;
    i = semi;
  }
  return out;
}

XmlNode parse_xml(const std::string& doc) {
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < doc.size() && std::isspace(static_cast<unsigned char>(doc[i]))) ++i;
  };
  skip_ws();
  if (doc.compare(i, 5, "<?xml") == 0) i = doc.find("?>", i) + 2;
  std::function<XmlNode()> element = [&]() -> XmlNode {
    skip_ws();
    if (doc[i] != '<') throw std::runtime_error("expected < at " + std::to_string(i));
    ++i;
    XmlNode n;
    while (i < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[i])) || doc[i] == '_' || doc[i] == '-'))
      n.name += doc[i++];
    for (;;) {
      skip_ws();
      if (doc.compare(i, 2, "/>") == 0) {
        i += 2;
        return n;
      }
      if (doc[i] == '>') {
        ++i;
        break;
      }
      std::string key;
      while (doc[i] != '=') key += doc[i++];
      if (doc[i + 1] != '"') throw std::runtime_error("unquoted attribute " + key);
      auto end = doc.find('"', i + 2);
      std::string raw = doc.substr(i + 2, end - i - 2);
      if (raw.find('<') != std::string::npos) throw std::runtime_error("< in attribute " + key);
      if (!n.attrs.emplace(key, xml_unescape(raw)).second) throw std::runtime_error("duplicate attribute " + key);
      i = end + 1;
    }
    for (;;) {
      auto lt = doc.find('<', i);
      n.text += xml_unescape(doc.substr(i, lt - i));
      i = lt;
      if (doc.compare(i, 2, "</") == 0) {
        auto gt = doc.find('>', i);
        if (doc.substr(i + 2, gt - i - 2) != n.name) throw std::runtime_error("mismatched </" + n.name + ">");
        i = gt + 1;
        return n;
      }
      n.children.push_back(element());
    }
  };
  XmlNode root = element();
  skip_ws();
  if (i != doc.size()) throw std::runtime_error("content after the root element");
  return root;
}

void expect_counts(const XmlNode& n) {
  for (auto* a : {"name", "tests", "failures", "errors", "time"}) EXPECT_TRUE(n.attrs.count(a)) << n.name << " " << a;
}

TEST_F(CiGate, JunitReportHasTheShapeCiToolsRead) {
  // Produced by CompareRegressionBeyondToleranceFails; make it here if run alone.
  ojson better = *base_;
  inference(better)["cycles"] = inference(better)["cycles"].get<std::uint64_t>() - 1000;
  ASSERT_EQ(cli("compare " + write("better-base-2.json", better) + " " + tmp("ad.json") + " --junit " +
                tmp("junit2.xml"))
                .rc,
            1);
  XmlNode root;
  ASSERT_NO_THROW(root = parse_xml(slurp(tmp("junit2.xml"))));
  EXPECT_EQ(root.name, "testsuites");
  expect_counts(root);
  std::size_t tests = 0, failures = 0;
  ASSERT_EQ(root.children.size(), 1u);
  for (auto& suite : root.children) {
    EXPECT_EQ(suite.name, "testsuite");
    expect_counts(suite);
    EXPECT_EQ(suite.attrs.at("name"), "ad/optimized");
    std::size_t suite_failures = 0;
    std::map<std::string, bool> names;
    for (auto& tc : suite.children) {
      EXPECT_EQ(tc.name, "testcase");
      for (auto* a : {"name", "classname", "time"}) EXPECT_TRUE(tc.attrs.count(a)) << a;
      names[tc.attrs.at("name")] = true;
      for (auto& f : tc.children) {
        EXPECT_EQ(f.name, "failure");
        EXPECT_TRUE(f.attrs.count("message"));
        ++suite_failures;
      }
    }
    // One test case per metric (and the run's outcome).
    for (auto& m : compare_metrics()) EXPECT_TRUE(names.count(m.name)) << m.name;
    EXPECT_TRUE(names.count("outcome"));
    EXPECT_EQ(std::stoul(suite.attrs.at("tests")), suite.children.size());
    EXPECT_EQ(std::stoul(suite.attrs.at("failures")), suite_failures);
    tests += suite.children.size();
    failures += suite_failures;
  }
  EXPECT_EQ(std::stoul(root.attrs.at("tests")), tests);
  EXPECT_EQ(std::stoul(root.attrs.at("failures")), failures);
  EXPECT_EQ(failures, 1u);  // cycles only: instructions, energy and footprint are unchanged
}

TEST(Junit, EscapesText) {
  EXPECT_EQ(xml_escape("a<b>&\"c'\n"), "a&lt;b&gt;&amp;&quot;c&apos;&#10;");
  auto node = parse_xml(junit_input_error("x.json: <bad> & \"worse\""));
  ASSERT_EQ(node.children.size(), 1u);
  EXPECT_EQ(node.attrs.at("errors"), "1");
  EXPECT_EQ(node.children[0].children[0].children[0].name, "error");
  EXPECT_EQ(node.children[0].children[0].children[0].attrs.at("message"), "x.json: <bad> & \"worse\"");
}

// --- tolerances, axes, shards (no simulation) ----------------------------------------------------

TEST(Tolerances, UnitsAndPercentages) {
  std::map<std::string, Tolerance> t;
  parse_tolerance("cycles=1%", t);
  parse_tolerance("flash=512B", t);
  parse_tolerance("sram=2KiB", t);
  parse_tolerance("latency=0.5ms", t);
  parse_tolerance("energy=3uJ", t);
  parse_tolerance("instructions=100", t);
  EXPECT_TRUE(t["cycles"].relative);
  EXPECT_DOUBLE_EQ(t["cycles"].allowed(200000), 2000);
  EXPECT_DOUBLE_EQ(t["flash"].amount, 512);
  EXPECT_DOUBLE_EQ(t["sram"].amount, 2048);
  EXPECT_DOUBLE_EQ(t["latency"].amount, 0.5e-3);
  EXPECT_DOUBLE_EQ(t["energy"].amount, 3e6);
  EXPECT_DOUBLE_EQ(t["instructions"].amount, 100);
  std::map<std::string, Tolerance> all;
  parse_tolerance("all=2%", all);
  EXPECT_EQ(all.size(), compare_metrics().size());
  EXPECT_THROW(parse_tolerance("cycles=1ms", t), InputError);
  EXPECT_THROW(parse_tolerance("cycles=-1", t), InputError);
  EXPECT_THROW(parse_tolerance("speed=1%", t), InputError);
  EXPECT_THROW(parse_tolerance("cycles", t), InputError);
}

TEST(SweepAxes, ListsRangesAndOrder) {
  auto a = parse_sweep_axis("flash.wait_states=0..5");
  EXPECT_EQ(a.key, "flash.wait_states");
  EXPECT_EQ(a.values, (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
  EXPECT_EQ(parse_sweep_axis("x=0..20:8").values, (std::vector<std::string>{"0", "8", "16"}));
  EXPECT_EQ(parse_sweep_axis("flash.icache.size=1KiB,4KiB").values, (std::vector<std::string>{"1KiB", "4KiB"}));
  EXPECT_EQ(parse_sweep_axis("core_set=[\"a=1\",\"b=2\"],[]").values,
            (std::vector<std::string>{"[\"a=1\",\"b=2\"]", "[]"}));
  EXPECT_THROW(parse_sweep_axis("x=1,,2"), InputError);
  EXPECT_THROW(parse_sweep_axis("x=5..1"), InputError);
  EXPECT_THROW(parse_sweep_axis("x=1..b"), InputError);
  EXPECT_THROW(parse_sweep_axis("=1"), InputError);
  std::vector<SweepAxis> axes = {{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}};
  EXPECT_EQ(configuration_count(axes), 6u);
  EXPECT_EQ(configuration_parameters(axes, 0), (Parameters{{"a", "1"}, {"b", "x"}}));
  EXPECT_EQ(configuration_parameters(axes, 2), (Parameters{{"a", "1"}, {"b", "z"}}));
  EXPECT_EQ(configuration_parameters(axes, 3), (Parameters{{"a", "2"}, {"b", "x"}}));
}

TEST(SweepShards, DisjointAndComplete) {
  for (std::size_t rows : {0u, 1u, 6u, 97u})
    for (std::size_t n : {1u, 2u, 4u, 7u}) {
      std::size_t next = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        auto [first, last] = shard_rows(rows, {i, n});
        EXPECT_EQ(first, next);
        EXPECT_LE(last - first, rows / n + 1);
        next = last;
      }
      EXPECT_EQ(next, rows);
    }
  EXPECT_EQ(parse_shard("3/8").index, 3u);
  EXPECT_THROW(parse_shard("0/8"), InputError);
  EXPECT_THROW(parse_shard("9/8"), InputError);
  EXPECT_THROW(parse_shard("a"), InputError);
}

TEST(Formats, CsvAndMarkdownEscaping) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(markdown_cell("a|b\nc"), "a\\|b c");
}

// --- sweeps -----------------------------------------------------------------------------------------

const std::string kSweep2x3 =
    "sweep --task ad --set flash.wait_states=4,5 --set flash.icache.size=1KiB,4KiB,16KiB --jobs 2";

TEST(Sweep, TwoByThreeGivesSixRowsWithTheExpectedConfigurations) {
  std::filesystem::create_directories(kTmp);
  auto r = cli(kSweep2x3 + " --json " + tmp("sweep.json") + " --csv " + tmp("sweep.csv") + " -q");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(r.out, "");  // not a terminal: no progress line
  auto doc = read_results_file(tmp("sweep.json"));
  EXPECT_EQ(doc["command"], "sweep");
  EXPECT_EQ(doc["sweep"]["configurations"], 6);
  EXPECT_TRUE(doc["sweep"]["shard"].is_null());
  ASSERT_EQ(doc["results"].size(), 6u);
  const std::vector<std::pair<std::string, std::string>> expected = {{"4", "1KiB"}, {"4", "4KiB"}, {"4", "16KiB"},
                                                                     {"5", "1KiB"}, {"5", "4KiB"}, {"5", "16KiB"}};
  const std::map<std::string, std::uint64_t> bytes = {{"1KiB", 1024}, {"4KiB", 4096}, {"16KiB", 16384}};
  for (std::size_t i = 0; i < 6; ++i) {
    const auto& e = doc["results"][i];
    SCOPED_TRACE(i);
    EXPECT_EQ(e["configuration"], i);
    EXPECT_EQ(e["task"], "ad");
    EXPECT_EQ(e["status"], "ok") << e["error"];
    EXPECT_EQ(e["parameters"]["flash.wait_states"], expected[i].first);
    EXPECT_EQ(e["parameters"]["flash.icache.size"], expected[i].second);
    // The resolved board carries the swept values.
    EXPECT_EQ(e["board"]["flash"]["wait_states"].get<int>(), std::stoi(expected[i].first));
    EXPECT_EQ(e["board"]["flash"]["icache"]["size_bytes"], bytes.at(expected[i].second));
  }
  // Fewer wait states, fewer cycles.
  EXPECT_LT(doc["results"][0]["inference"]["cycles"], doc["results"][3]["inference"]["cycles"]);
  // CSV: a header and one row per configuration and task.
  std::stringstream csv(slurp(tmp("sweep.csv")));
  std::vector<std::string> lines;
  for (std::string l; std::getline(csv, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0].rfind("configuration,set:flash.wait_states,set:flash.icache.size,task,kernels,region,status", 0),
            0u);
  EXPECT_EQ(lines[3].rfind("2,4,16KiB,ad,optimized,inference,ok,", 0), 0u) << lines[3];

  // Same rows whatever the number of workers.
  ASSERT_EQ(cli("sweep --task ad --set flash.wait_states=4,5 --set flash.icache.size=1KiB,4KiB,16KiB --jobs 1 -q "
                "--json " + tmp("sweep-j1.json")).rc,
            0);
  EXPECT_EQ(slurp(tmp("sweep-j1.json")), slurp(tmp("sweep.json")));
}

TEST(Sweep, ShardsMergedEqualTheUnshardedRun) {
  std::filesystem::create_directories(kTmp);
  ASSERT_EQ(cli(kSweep2x3 + " -q --json " + tmp("whole.json") + " --csv " + tmp("whole.csv")).rc, 0);
  std::string shards;
  std::size_t rows = 0;
  for (int i = 1; i <= 4; ++i) {
    const std::string f = tmp(fmt::format("shard{}.json", i));
    ASSERT_EQ(cli(kSweep2x3 + fmt::format(" -q --shard {}/4 --json ", i) + f).rc, 0);
    rows += read_results_file(f)["results"].size();
    shards = f + " " + shards;  // merge does not depend on the order of its arguments
  }
  EXPECT_EQ(rows, 6u);
  auto r = cli("merge " + shards + " -q --json " + tmp("merged.json") + " --csv " + tmp("merged.csv"));
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(slurp(tmp("merged.json")), slurp(tmp("whole.json")));
  EXPECT_EQ(slurp(tmp("merged.csv")), slurp(tmp("whole.csv")));
  // A missing or repeated shard is an error naming it.
  auto missing = cli("merge " + tmp("shard1.json") + " " + tmp("shard2.json") + " " + tmp("shard3.json"));
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.out.find("missing shard(s) 4/4"), std::string::npos) << missing.out;
  auto twice = cli("merge " + tmp("shard1.json") + " " + tmp("shard1.json"));
  EXPECT_EQ(twice.rc, 2);
  EXPECT_NE(twice.out.find("shard 1/4 is also in"), std::string::npos) << twice.out;
}

TEST(Sweep, AnInvalidValueIsReportedPerRowAndTheOthersComplete) {
  std::filesystem::create_directories(kTmp);
  // 200 MHz is beyond the part's wait-state table; "fast" is not a number.
  auto r = cli("sweep --task ad --set clock_hz=80000000,200000000,fast --jobs 2 -q --json " + tmp("invalid.json"));
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("2 of 3 rows did not run"), std::string::npos) << r.out;
  auto doc = read_results_file(tmp("invalid.json"));
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["results"][0]["status"], "ok");
  EXPECT_EQ(doc["results"][0]["board"]["clock_hz"], 80000000);
  EXPECT_EQ(doc["results"][1]["status"], "error");
  EXPECT_NE(doc["results"][1]["error"].get<std::string>().find("exceeds the flash wait-state table"), std::string::npos)
      << doc["results"][1]["error"];
  EXPECT_EQ(doc["results"][2]["status"], "error");
  EXPECT_NE(doc["results"][2]["error"].get<std::string>().find("clock_hz"), std::string::npos)
      << doc["results"][2]["error"];
  EXPECT_TRUE(doc["results"][2]["inference"].is_null());
  // An unknown board or a malformed --set is bad input for the whole sweep.
  EXPECT_EQ(cli("sweep --task ad --board nope -q").rc, 2);
  EXPECT_EQ(cli("sweep --task ad --set clock_hz -q").rc, 2);
  EXPECT_EQ(cli("sweep --task ad --shard 3/2 -q").rc, 2);
}

}  // namespace
}  // namespace mcusim
