// card_bench: card-to-card payments between two in-process software cards (Google
// Benchmark). Each iteration is one whole payment through PaymentSession: mutual
// authentication, sealed request, value, ack and close, every step committed to the
// card's store before its answer. Cards sync (timing paused) before their offline
// allowance runs out. Reports payments per second and, per payment, the card-to-card
// messages and bytes and the command/response exchanges and frame bytes.
//
// Run:
//   build/release/bench/card_bench [--benchmark_filter=Memory] [--benchmark_min_time=2]
// BM_Payment/memory keeps the cards' state in memory; BM_Payment/file in files with a
// temp-file, fsync, rename and directory fsync per commit (four commits per payment).
//
// Keys here come from labelled test seeds: this program never makes a real card.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engine/card/card_client.h"
#include "engine/card/certificate.h"
#include "engine/card/file_card_store.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/card/software_card.h"
#include "engine/check.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

constexpr int64_t kNowMs = 1'750'000'000'000;
constexpr uint16_t kAllowance = 1000;

struct BenchCard {
  std::unique_ptr<CardStore> store;
  std::unique_ptr<SeededRandom> random;
  std::unique_ptr<SoftwareCard> card;
  std::unique_ptr<InProcessTransport> transport;
};

BenchCard MakeCard(int number, const SigningKey& issuer, const Clock& clock,
                   std::unique_ptr<CardStore> store) {
  BenchCard made;
  made.store = std::move(store);
  made.random =
      std::make_unique<SeededRandom>(Concat("TEST SEED - NOT FOR A REAL CARD: bench ", number));
  Personalization setup;
  setup.card_id = Concat("BENCH00", number);
  setup.generations = {{1, issuer.public_key()}};
  setup.purses = {{"EUR", 1'000'000'00, 1'000'000'000'00}};
  setup.max_offline_payments = kAllowance;
  made.card = *SoftwareCard::Personalize(setup, *made.store, *made.random, clock);
  made.transport = std::make_unique<InProcessTransport>(made.card.get());
  const CardPublicKey key = *ReadPublicKey(*made.transport, 1);
  POCHE_CHECK(InstallCertificate(*made.transport, IssueCertificate(1, key.card_id, key.public_key,
                                                                   kNowMs / 1000 + 86400, issuer))
                  .ok());
  return made;
}

void Sync(BenchCard& card, Reconciler& reconciler, const SigningKey& issuer) {
  const std::string challenge(16, 's');
  const std::string report = *ReadSyncReport(*card.transport, challenge);
  POCHE_CHECK(reconciler.Submit(report, challenge).ok());
  const uint32_t counter = card.card->committed_state().counter;
  POCHE_CHECK(AcknowledgeSync(*card.transport,
                              IssueSyncAcknowledgement(1, card.card->committed_state().card_id,
                                                       counter, issuer))
                  .ok());
}

void BM_Payment(benchmark::State& state, bool in_files) {
  const SigningKey issuer =
      *SigningKey::FromSeed(Sha256("TEST SEED - NOT A REAL ISSUER KEY: bench"));
  ManualClock clock(kNowMs);
  std::string directory;
  auto store = [&](int number) -> std::unique_ptr<CardStore> {
    if (!in_files) return std::make_unique<MemoryCardStore>();
    return std::make_unique<FileCardStore>(Concat(directory, "/card", number));
  };
  if (in_files) {
    std::string pattern = (std::filesystem::temp_directory_path() / "card-bench-XXXXXX").string();
    POCHE_CHECK(::mkdtemp(pattern.data()) != nullptr);
    directory = pattern;
  }
  BenchCard cards[2] = {MakeCard(1, issuer, clock, store(1)), MakeCard(2, issuer, clock, store(2))};
  Reconciler reconciler({{1, issuer.public_key()}});
  PaymentOutcome last;
  int payer = 0;
  for (auto _ : state) {
    if (cards[payer].card->committed_state().offline_payments + 1 >= kAllowance) {
      state.PauseTiming();
      Sync(cards[payer], reconciler, issuer);
      state.ResumeTiming();
    }
    last = PaymentSession(*cards[payer].transport, *cards[1 - payer].transport).Run({"EUR", 1'25});
    if (!last.status.ok()) {
      state.SkipWithError("a payment failed");
      break;
    }
    payer = 1 - payer;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["messages"] = last.relayed_messages;
  state.counters["message_bytes"] = static_cast<double>(last.message_bytes);
  state.counters["exchanges"] = last.exchanges;
  state.counters["frame_bytes"] = static_cast<double>(last.frame_bytes());
  if (in_files) std::filesystem::remove_all(directory);
}

BENCHMARK_CAPTURE(BM_Payment, memory, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Payment, file, true)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace argentpoche::card

BENCHMARK_MAIN();
