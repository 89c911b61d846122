// USDT argument specs and the notes of probe_target, against readelf.

#include "probes_test_support.h"
#include "runtime/probes/usdt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

namespace sonde::probes::testing {
namespace {

using ::testing::ElementsAre;

UsdtArgument argument(UsdtArgumentKind kind, uint32_t size, bool is_signed, int64_t value,
                      std::string reg = "", uint32_t offset = 0) {
  return UsdtArgument{kind, size, is_signed, value, std::move(reg), offset};
}

TEST(UsdtArguments, RegistersMemoryAndConstants) {
  auto parsed = parse_usdt_arguments("-4@%eax 8@-16(%rbp) -4@$5 1@%sil 2@0x10(%r12) -8@$-3 "
                                     "8@(%rsp) 4@%r9d");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_THAT(*parsed, ElementsAre(argument(UsdtArgumentKind::Register, 4, true, 0, "rax", 80),
                                   argument(UsdtArgumentKind::Memory, 8, false, -16, "rbp", 32),
                                   argument(UsdtArgumentKind::Constant, 4, true, 5),
                                   argument(UsdtArgumentKind::Register, 1, false, 0, "rsi", 104),
                                   argument(UsdtArgumentKind::Memory, 2, false, 16, "r12", 24),
                                   argument(UsdtArgumentKind::Constant, 8, true, -3),
                                   argument(UsdtArgumentKind::Memory, 8, false, 0, "rsp", 152),
                                   argument(UsdtArgumentKind::Register, 4, false, 0, "r9", 64)));
  auto none = parse_usdt_arguments("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

UsdtArgument indexed(UsdtArgument memory, std::string index, uint32_t offset, uint32_t scale) {
  memory.index_register_name = std::move(index);
  memory.index_register_offset = offset;
  memory.scale = scale;
  return memory;
}

TEST(UsdtArguments, IndexRegisters) {
  auto parsed = parse_usdt_arguments("8@-8(%rbp,%rax,8) -4@(%rdi,%rsi,4) 2@(%rdi,%rbx) "
                                     "1@16(,%rsi,2)");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  auto memory = [](uint32_t size, bool is_signed, int64_t displacement, std::string reg,
                   uint32_t offset) {
    return argument(UsdtArgumentKind::Memory, size, is_signed, displacement, std::move(reg),
                    offset);
  };
  EXPECT_THAT(*parsed, ElementsAre(indexed(memory(8, false, -8, "rbp", 32), "rax", 80, 8),
                                   indexed(memory(4, true, 0, "rdi", 112), "rsi", 104, 4),
                                   indexed(memory(2, false, 0, "rdi", 112), "rbx", 40, 1),
                                   indexed(memory(1, false, 16, "", 0), "rsi", 104, 2)));
}

TEST(UsdtArguments, UnsupportedOperands) {
  EXPECT_EQ(parse_usdt_arguments("8@(%rax,%rbx,3)").error(),
            "cannot read usdt argument '8@(%rax,%rbx,3)': the scale is not 1, 2, 4 or 8");
  EXPECT_EQ(parse_usdt_arguments("8@(%rax,%rbx,8,1)").error(),
            "cannot read usdt argument '8@(%rax,%rbx,8,1)': more than base, index and scale");
  EXPECT_EQ(parse_usdt_arguments("8@()").error(),
            "cannot read usdt argument '8@()': expected a register");
  EXPECT_EQ(parse_usdt_arguments("8@counter(%rip)").error(),
            "cannot read usdt argument '8@counter(%rip)': the displacement is a symbol, not a "
            "number");
  EXPECT_EQ(parse_usdt_arguments("8@8(%rip)").error(),
            "cannot read usdt argument '8@8(%rip)': %rip-relative operands are not supported");
  EXPECT_EQ(parse_usdt_arguments("3@%eax").error(),
            "cannot read usdt argument '3@%eax': size is not 1, 2, 4 or 8");
  EXPECT_EQ(parse_usdt_arguments("%eax").error(),
            "cannot read usdt argument '%eax': no size before '@'");
  EXPECT_EQ(parse_usdt_arguments("4@%xyz").error(),
            "cannot read usdt argument '4@%xyz': unknown register");
}

TEST(UsdtArguments, SiteFields) {
  EXPECT_EQ(usdt_sites_field({0, 2}), "0,2");
  auto sites = parse_usdt_sites_field("0,2", 3);
  ASSERT_TRUE(sites.ok());
  EXPECT_THAT(*sites, ElementsAre(0u, 2u));
  EXPECT_EQ(parse_usdt_sites_field("3", 3).error(),
            "invalid usdt site list '3' for a probe with 3 sites");
}

// readelf's view of the notes: "provider:name location semaphore arguments".
std::vector<std::string> readelf_notes(const std::string &path) {
  std::vector<std::string> notes;
  std::string provider, name, location, semaphore;
  for (const std::string &line : lines_of(command_output("readelf -n " + path))) {
    auto value = [&](const std::string &key) { return line.substr(line.find(key) + key.size()); };
    if (line.find("Provider: ") != std::string::npos)
      provider = value("Provider: ");
    else if (line.find("Name: ") != std::string::npos)
      name = value("Name: ");
    else if (line.find("Location: ") != std::string::npos) {
      location = line.substr(line.find("0x"), line.find(',') - line.find("0x"));
      semaphore = value("Semaphore: ");
    } else if (line.find("Arguments: ") != std::string::npos)
      notes.push_back(provider + ":" + name + " " + location + " " + semaphore + " " +
                      value("Arguments: "));
  }
  return notes;
}

uint64_t hex(const std::string &text) { return std::stoull(text, nullptr, 16); }

// The file offset of a virtual address, by readelf's program headers.
uint64_t readelf_file_offset(const std::string &path, uint64_t address) {
  for (const std::string &line : lines_of(command_output("readelf -lW " + path))) {
    std::istringstream fields(line);
    std::string type, offset, vaddr, paddr, filesz;
    if (fields >> type >> offset >> vaddr >> paddr >> filesz && type == "LOAD" &&
        address >= hex(vaddr) && address < hex(vaddr) + hex(filesz))
      return address - hex(vaddr) + hex(offset);
  }
  return ~0ull;
}

TEST(UsdtNotes, ProbeTargetMatchesReadelf) {
  std::string target = prog("probe_target");
  auto probes = usdt_probes(target);
  ASSERT_TRUE(probes.ok()) << probes.error();
  std::vector<std::string> names;
  for (const UsdtProbe &probe : *probes)
    names.push_back(probe.provider + ":" + probe.name);
  EXPECT_THAT(names, ElementsAre("sonde:guarded", "sonde:loop", "sonde:memory", "sonde:twice"));

  size_t sites = 0;
  for (const std::string &note : readelf_notes(target)) {
    std::istringstream fields(note);
    std::string probe_name, location, semaphore, arguments;
    fields >> probe_name >> location >> semaphore;
    std::getline(fields >> std::ws, arguments);
    auto probe = usdt_probe(target, probe_name.substr(0, probe_name.find(':')),
                            probe_name.substr(probe_name.find(':') + 1));
    ASSERT_TRUE(probe.ok()) << probe.error();
    bool found = false;
    for (const UsdtLocation &site : probe->locations) {
      if (site.address != hex(location))
        continue;
      found = true;
      sites++;
      EXPECT_EQ(site.file_offset, readelf_file_offset(target, site.address));
      EXPECT_EQ(site.semaphore_offset,
                hex(semaphore) ? readelf_file_offset(target, hex(semaphore)) : 0);
      auto expected = parse_usdt_arguments(arguments);
      ASSERT_TRUE(expected.ok());
      EXPECT_EQ(site.arguments, *expected);
    }
    EXPECT_TRUE(found) << note;
  }
  EXPECT_EQ(sites, 5u);
}

TEST(UsdtNotes, SitesPassingArgumentsDifferentlyGetOneLayoutEach) {
  auto layouts = usdt_argument_layouts(prog("probe_target"), "sonde", "twice");
  ASSERT_TRUE(layouts.ok()) << layouts.error();
  ASSERT_EQ(layouts->size(), 2u);
  EXPECT_THAT((*layouts)[0].sites, ElementsAre(0u));
  EXPECT_THAT((*layouts)[0].arguments,
              ElementsAre(argument(UsdtArgumentKind::Constant, 4, true, 1)));
  EXPECT_THAT((*layouts)[1].sites, ElementsAre(1u));
  EXPECT_THAT((*layouts)[1].arguments,
              ElementsAre(argument(UsdtArgumentKind::Constant, 4, true, 2)));

  auto single = usdt_argument_layouts(prog("probe_target"), "sonde", "loop");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->size(), 1u);
  EXPECT_EQ(usdt_argument_layouts(prog("probe_target"), "sonde", "nope").error(),
            "no usdt probe sonde:nope in " + prog("probe_target"));
}

} // namespace
} // namespace sonde::probes::testing
