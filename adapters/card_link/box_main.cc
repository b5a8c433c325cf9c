// poche-box: a relay box holding one card (a card file) and relaying frames to a peer box
// over TCP or a serial line (docs/cards.md, "The relay box"). The box knows no key and
// checks nothing: the side that pays (--pay, or an amount typed at the keypad prompt)
// runs the payment between its own card and the peer box's card; the other side serves
// its card, frame in, answer out. Each prints what its holder would see on the display,
// and the link's figures:
//
//   poche-box --card=bob.card --listen=127.0.0.1:7600
//   poche-box --card=alice.card --connect=127.0.0.1:7600 --pay=12.50 --currency=EUR
//   Sent 12.50 EUR — balance 87.50 EUR
//   bytes: 291 sent / 255 received, round trips: 2, time: 1 ms
//
// Exit status: 0 done (or stopped by SIGTERM/SIGINT), 1 the payment or the link failed,
// 2 bad flags. Nothing secret is printed: the box never sees a key.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "adapters/card_link/link_endpoints.h"
#include "adapters/card_link/remote_card.h"
#include "engine/card/card_client.h"
#include "engine/card/file_card_store.h"
#include "engine/card/payment_session.h"
#include "engine/card/software_card.h"
#include "engine/currency.h"
#include "engine/money.h"
#include "engine/status.h"
#include "engine/strings.h"

ABSL_FLAG(std::string, card, "", "The card file (FileCardStore format) this box holds.");
ABSL_FLAG(std::string, listen, "", "HOST:PORT: wait for the peer box to connect here.");
ABSL_FLAG(std::string, connect, "", "HOST:PORT: connect to the peer box listening there.");
ABSL_FLAG(std::string, serial, "", "A serial device (opened raw) leading to the peer box.");
ABSL_FLAG(std::string, pay, "", "Pay this amount (\"12.50\") from this box's card.");
ABSL_FLAG(std::string, currency, "EUR", "The currency of --pay (ISO 4217).");
ABSL_FLAG(std::string, pin, "", "The payer card's PIN, when it has one.");
ABSL_FLAG(int, timeout_ms, 5000, "The longest wait for any frame on the link.");
ABSL_FLAG(int, accept_timeout_ms, 120000, "With --listen: the longest wait for the peer box.");
ABSL_FLAG(int, drop_after_frames, -1,
          "TEST DRILL ONLY: a serving box answers this many frames, then feeds the next one "
          "to its card, drops the answer and cuts the link.");

namespace argentpoche::card_link {
namespace {

std::atomic<bool> stop_requested{false};
void OnStopSignal(int) { stop_requested = true; }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Amount(int64_t minor_units, const std::string& currency) {
  absl::StatusOr<int> exponent = CurrencyExponent(currency);
  return Concat(FormatAmount(minor_units, exponent.ok() ? *exponent : 0), " ", currency);
}

int Usage(std::string_view message) {
  std::cerr << "poche-box: " << message << "\n";
  return 2;
}

// The card's purses, read through frames as any host reads them.
std::vector<card::Purse> Purses(card::CardTransport& own) {
  absl::StatusOr<card::CardStatus> status = card::ReadCardStatus(own);
  return status.ok() ? status->purses : std::vector<card::Purse>{};
}

int64_t BalanceOf(const std::vector<card::Purse>& purses, const std::string& currency) {
  for (const card::Purse& purse : purses) {
    if (purse.currency == currency) return purse.balance;
  }
  return 0;
}

void PrintFigures(const FrameLink& link, uint64_t round_trips, int64_t elapsed_ms) {
  std::cout << "bytes: " << link.bytes_sent() << " sent / " << link.bytes_received()
            << " received, round trips: " << round_trips << ", time: " << elapsed_ms << " ms"
            << std::endl;
}

// Asks the holder for an amount and a currency; an empty amount means receive.
bool KeypadPrompt(std::string& amount, std::string& currency) {
  std::cout << "Amount? (empty to receive) " << std::flush;
  if (!std::getline(std::cin, amount) || amount.empty()) return false;
  std::cout << "Currency? [" << currency << "] " << std::flush;
  std::string typed;
  if (std::getline(std::cin, typed) && !typed.empty()) currency = typed;
  return true;
}

absl::StatusOr<std::unique_ptr<FrameLink>> OpenLink() {
  if (!absl::GetFlag(FLAGS_serial).empty()) return OpenSerial(absl::GetFlag(FLAGS_serial));
  if (!absl::GetFlag(FLAGS_connect).empty()) {
    return ConnectTcp(absl::GetFlag(FLAGS_connect), absl::GetFlag(FLAGS_timeout_ms));
  }
  absl::StatusOr<TcpListener> listener = TcpListener::Open(absl::GetFlag(FLAGS_listen));
  if (!listener.ok()) return listener.status();
  std::cout << "listening on "
            << absl::GetFlag(FLAGS_listen).substr(0, absl::GetFlag(FLAGS_listen).rfind(':')) << ":"
            << listener->port() << std::endl;
  return listener->Accept(absl::GetFlag(FLAGS_accept_timeout_ms), &stop_requested);
}

int Pay(FrameLink& link, card::CardTransport& own, const Money& amount) {
  RemoteCardTransport peer(link, absl::GetFlag(FLAGS_timeout_ms));
  card::PaymentOrder order(amount.currency(), amount.minor_units());
  order.payer_pin = absl::GetFlag(FLAGS_pin);
  const int64_t start_ms = NowMs();
  const card::PaymentOutcome outcome = card::PaymentSession(own, peer).Run(order);
  const int64_t elapsed_ms = NowMs() - start_ms;
  link.Close();
  const int64_t balance = BalanceOf(Purses(own), amount.currency());
  if (outcome.status.ok()) {
    std::cout << "Sent " << amount.ToString() << " — balance " << Amount(balance, amount.currency())
              << std::endl;
  } else {
    std::cout << "Payment failed at " << card::PaymentStepName(outcome.failed_step) << ": "
              << ReasonOf(outcome.status) << " "
              << (outcome.status_word != 0 ? card::StatusWordName(outcome.status_word) : "")
              << " — balance " << Amount(balance, amount.currency()) << std::endl;
  }
  PrintFigures(link, static_cast<uint64_t>(peer.round_trips()), elapsed_ms);
  std::cout << "session: " << outcome.exchanges << " exchanges, " << outcome.relayed_messages
            << " card-to-card messages (" << outcome.message_bytes << " bytes), "
            << outcome.frame_bytes() << " frame bytes" << std::endl;
  return outcome.status.ok() ? 0 : 1;
}

int Serve(FrameLink& link, card::CardTransport& own) {
  const std::vector<card::Purse> before = Purses(own);
  const int64_t start_ms = NowMs();
  const absl::Status served =
      ServeCard(link, own,
                {.frame_timeout_ms = absl::GetFlag(FLAGS_timeout_ms),
                 .drop_after_frames = absl::GetFlag(FLAGS_drop_after_frames)});
  const int64_t elapsed_ms = NowMs() - start_ms;
  link.Close();
  bool received = false;
  for (const card::Purse& purse : Purses(own)) {
    const int64_t gained = purse.balance - BalanceOf(before, purse.currency);
    if (gained == 0) continue;
    received = true;
    std::cout << "Received " << Amount(gained, purse.currency) << " — balance "
              << Amount(purse.balance, purse.currency) << std::endl;
  }
  if (!received) std::cout << "Nothing received" << std::endl;
  if (!served.ok()) std::cout << "Link failed: " << ReasonOf(served) << std::endl;
  PrintFigures(link, link.frames_received(), elapsed_ms);
  return served.ok() || ReasonOf(served) == "STOPPED" ? 0 : 1;
}

int Run() {
  const std::string card_path = absl::GetFlag(FLAGS_card);
  const int endpoints = !absl::GetFlag(FLAGS_listen).empty() +
                        !absl::GetFlag(FLAGS_connect).empty() +
                        !absl::GetFlag(FLAGS_serial).empty();
  if (card_path.empty()) return Usage("--card=FILE is required");
  if (endpoints != 1) return Usage("give exactly one of --listen, --connect and --serial");
  if (absl::GetFlag(FLAGS_timeout_ms) <= 0) return Usage("--timeout_ms must be positive");

  std::string amount_text = absl::GetFlag(FLAGS_pay);
  std::string currency = absl::GetFlag(FLAGS_currency);
  const bool pays =
      !amount_text.empty() || (isatty(STDIN_FILENO) == 1 && KeypadPrompt(amount_text, currency));
  absl::StatusOr<Money> amount = pays ? ParseMoney(amount_text, currency) : Money::Create("EUR", 0);
  if (!amount.ok()) return Usage(Concat("bad amount: ", amount.status().message()));
  if (pays && amount->minor_units() <= 0) return Usage("the amount must be positive");

  card::FileCardStore store(card_path);
  card::SystemRandom random;
  SystemClock clock;
  absl::StatusOr<std::unique_ptr<card::SoftwareCard>> own_card =
      card::SoftwareCard::PowerUp(store, random, clock);
  if (!own_card.ok()) {
    std::cout << "No card: " << own_card.status().message() << std::endl;
    return 1;
  }
  card::InProcessTransport own(own_card->get());

  absl::StatusOr<std::unique_ptr<FrameLink>> link = OpenLink();
  if (!link.ok()) {
    std::cout << "Link failed: " << ReasonOf(link.status()) << " " << link.status().message()
              << std::endl;
    return ReasonOf(link.status()) == "STOPPED" ? 0 : 1;
  }
  (*link)->set_stop_flag(&stop_requested);
  return pays ? Pay(**link, own, *amount) : Serve(**link, own);
}

}  // namespace
}  // namespace argentpoche::card_link

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "poche-box --card=FILE (--listen=HOST:PORT | --connect=HOST:PORT | --serial=DEVICE) "
      "[--pay=AMOUNT --currency=EUR] [--pin=PIN] [--timeout_ms=5000]");
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    return argentpoche::card_link::Usage("every setting is a --flag");
  }
  struct sigaction action {};
  action.sa_handler = argentpoche::card_link::OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a wait is woken and sees the flag
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return argentpoche::card_link::Run();
}
