// The artifact file format: what is written is read back whole; damaged,
// truncated and newer files are refused with one line.

#include "artifact/artifact.h"
#include "artifact/description.h"

#include <gtest/gtest.h>

#include <cstring>

namespace sonde::artifact {
namespace {

using types::Kind;
using types::Type;

// A struct that points to its own kind, as kernel structs do.
types::TypePtr self_referring_struct() {
  auto node = std::make_shared<Type>();
  node->kind = Kind::Struct;
  node->name = "struct node";
  node->size = 16;
  node->align = 8;
  node->fields.push_back({"value", Type::integer(4, true), 0, 0, 0, false});
  node->fields.push_back({"bits", Type::integer(4, false), 4, 3, 5, false});
  node->fields.push_back({"next", Type::pointer(node), 8, 0, 0, false});
  return node;
}

Artifact sample() {
  Artifact a;
  a.compiled_by = "sonde test";
  a.source = {"script.bt", "begin { printf(\"%d\\n\", $1); }\n"};
  a.params = {"42"};
  a.named_params = {"--count=3"};
  a.settings.stack_mode = output::StackMode::Perf;
  a.settings.print_maps_on_exit = false;
  a.settings.max_cat_bytes = 99;
  a.symbols = {{"jiffies", "", 0xffffffff81000000ull}};
  a.tracepoint_fields = {{"sched", "sched_switch", "prev_pid", 24, 4, "script.bt:3"}};
  a.usdt_binaries = {{"/usr/bin/app", "0a1b2c"}};
  CompiledScript &s = a.script;
  s.elf = {0x7f, 'E', 'L', 'F', 0, 1, 2, 3};
  s.probe_names = {"begin", "tracepoint:sched:sched_switch"};
  ProgramInfo program;
  program.function_name = "begin_0";
  program.provider = "begin";
  program.targets.push_back({"begin", "begin", {}, 0});
  program.dispatched_probes = 0;
  s.programs.push_back(program);
  s.maps.push_back({"@h", "map_h", Type::none(), Type::lhist(0, 100, 10), true, 1});
  s.maps.push_back({"@n", "map_n", Type::string(16), self_referring_struct(), false, 4096});
  EventInfo printf_event;
  printf_event.format = "%d\n";
  printf_event.args.push_back({Type::integer(8, true), 0});
  printf_event.size = 16;
  s.events.push_back(printf_event);
  EventInfo print_map;
  print_map.kind = EventKind::PrintMap;
  print_map.map_index = 1;
  print_map.top = 5;
  print_map.div = 2;
  print_map.filename = "script.bt";
  print_map.line = 7;
  print_map.column = 3;
  print_map.size = 8;
  s.events.push_back(print_map);
  s.ringbuf_elf_name = "events";
  s.lost_events_elf_name = "lost";
  s.kernel_stack_map_elf_name = "kstacks";
  return a;
}

std::string refusal(std::vector<uint8_t> bytes) {
  auto read = decode(bytes, "x.aot");
  EXPECT_FALSE(read.ok());
  if (read.ok())
    return "";
  EXPECT_EQ(read.error().find('\n'), std::string::npos) << read.error();
  return read.error();
}

// Rewrites the header's checksum after a change to the payload.
void fix_checksum(std::vector<uint8_t> &bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = kHeaderSize; i < bytes.size(); i++) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ull;
  }
  for (int i = 0; i < 8; i++)
    bytes[32 + static_cast<size_t>(i)] = static_cast<uint8_t>(hash >> (8 * i));
}

TEST(ArtifactFormat, RoundTripKeepsEverything) {
  Artifact original = sample();
  auto bytes = encode(original);
  ASSERT_EQ(std::memcmp(bytes.data(), "SONDEAOT", 8), 0);
  auto read = decode(bytes, "x.aot");
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(describe(*read).dump(), describe(original).dump());
  EXPECT_EQ(read->script.elf, original.script.elf);
  EXPECT_EQ(read->settings.stack_mode, output::StackMode::Perf);
  EXPECT_EQ(read->named_params, original.named_params);
  const auto &node = read->script.maps[1].value;
  EXPECT_EQ(node->fields[2].type->element, node) << "the self-reference is kept";
  EXPECT_EQ(node->fields[1].bit_width, 5u);
  EXPECT_EQ(*read->script.maps[0].value, *Type::lhist(0, 100, 10));
  EXPECT_EQ(read->script.events[1].kind, EventKind::PrintMap);
  EXPECT_EQ(read->script.events[1].top, 5);
}

TEST(ArtifactFormat, RefusesOtherFiles) {
  EXPECT_NE(refusal({}).find("not a sonde artifact"), std::string::npos);
  std::vector<uint8_t> elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
  EXPECT_NE(refusal(elf).find("not a sonde artifact"), std::string::npos);
}

TEST(ArtifactFormat, RefusesTruncatedFilesAtEveryLength) {
  auto bytes = encode(sample());
  for (size_t length = 8; length < bytes.size(); length += 7) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(length));
    EXPECT_NE(refusal(cut).find("truncated"), std::string::npos) << length;
  }
}

TEST(ArtifactFormat, RefusesCorruptedBytes) {
  auto bytes = encode(sample());
  for (size_t i = kHeaderSize; i < bytes.size(); i += 11) {
    auto damaged = bytes;
    damaged[i] ^= 0x20;
    EXPECT_NE(refusal(damaged).find("checksum"), std::string::npos) << i;
  }
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_NE(refusal(longer).find("corrupted"), std::string::npos);
}

TEST(ArtifactFormat, RefusesNewerVersions) {
  auto bytes = encode(sample());
  bytes[8] = static_cast<uint8_t>(kFormatVersion + 1);
  std::string why = refusal(bytes);
  EXPECT_NE(why.find("version " + std::to_string(kFormatVersion + 1)), std::string::npos) << why;
}

TEST(ArtifactFormat, RefusesHugeSizesInTheHeader) {
  auto bytes = encode(sample());
  for (size_t offset : {12, 16, 24})
    for (int i = 0; i < 8 && offset + static_cast<size_t>(i) < 32; i++) {
      auto damaged = bytes;
      damaged[offset + static_cast<size_t>(i)] = 0xff;
      refusal(damaged);
    }
}

// A description that passes the checksum but does not hold together.
TEST(ArtifactFormat, RefusesInconsistentDescriptions) {
  auto damage = [](const std::function<void(nlohmann::json &)> &edit) {
    Artifact a = sample();
    nlohmann::json d = describe(a);
    edit(d);
    std::string text = d.dump();
    auto bytes = encode(a);
    std::vector<uint8_t> out(bytes.begin(), bytes.begin() + kHeaderSize);
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), a.script.elf.begin(), a.script.elf.end());
    uint64_t size = text.size();
    for (int i = 0; i < 8; i++)
      out[16 + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
    fix_checksum(out);
    return refusal(out);
  };
  EXPECT_NE(damage([](auto &d) { d["maps"][0]["value"] = 999; }).find("corrupted"),
            std::string::npos);
  EXPECT_NE(damage([](auto &d) { d["types"][0]["kind"] = "quaternion"; }).find("unknown kind"),
            std::string::npos);
  EXPECT_NE(damage([](auto &d) { d["events"][1]["map_index"] = 7; }).find("map index"),
            std::string::npos);
  EXPECT_NE(damage([](auto &d) { d["events"][0]["size"] = 4; }).find("outside its record"),
            std::string::npos);
  EXPECT_NE(damage([](auto &d) { d.erase("programs"); }).find("corrupted"), std::string::npos);
  EXPECT_NE(
      damage([](auto &d) { d["programs"][0]["targets"][0]["cookie"] = 9; }).find("probe index"),
      std::string::npos);
  EXPECT_NE(damage([](auto &d) { d["events"][0]["kind"] = "teleport"; }).find("corrupted"),
            std::string::npos);
}

TEST(ArtifactFormat, RefusesUnreadableJson) {
  Artifact a = sample();
  auto bytes = encode(a);
  bytes[kHeaderSize] = '[';
  fix_checksum(bytes);
  EXPECT_NE(refusal(bytes).find("unreadable"), std::string::npos);
}

} // namespace
} // namespace sonde::artifact
