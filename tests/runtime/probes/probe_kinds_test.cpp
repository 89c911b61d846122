// The providers and the probe kind descriptors sema and codegen read name
// the same kinds.

#include "runtime/probes/provider.h"

#include <gtest/gtest.h>

namespace sonde::probes {
namespace {

TEST(ProbeKinds, EveryProviderHasADescriptorAndEveryDescriptorAProvider) {
  for (const Provider *provider : all_providers())
    EXPECT_NE(find_probe_kind(std::string(provider->name())), nullptr) << provider->name();
  for (const ProbeKind &kind : probe_kinds()) {
    const Provider *provider = find_provider(kind.name);
    ASSERT_NE(provider, nullptr) << kind.name;
    EXPECT_EQ(&provider->kind(), &kind);
  }
}

TEST(ProbeKinds, AnAliasFindsTheProviderOfItsKind) {
  for (const ProbeKind &kind : probe_kinds())
    for (const std::string &alias : kind.aliases)
      EXPECT_EQ(find_provider(alias), find_provider(kind.name)) << alias;
  EXPECT_EQ(find_provider("kfunc")->name(), "fentry");
  EXPECT_EQ(find_provider("BEGIN")->name(), "begin");
  EXPECT_EQ(find_provider("nonsense"), nullptr);
}

} // namespace
} // namespace sonde::probes
