// model::execution: execution statuses and reasons by name.

#include <schedule/model/execution.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace schedule::model;

namespace {

std::string man_page() {
    std::ifstream in(std::string(SCHEDULE_SOURCE_DIR) + "/man/schedule.1.scd");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The part of `text` from `from` to `to` (both must be there).
std::string between(const std::string& text, const std::string& from, const std::string& to) {
    auto begin = text.find(from);
    REQUIRE(begin != std::string::npos);
    begin += from.size();
    auto end = text.find(to, begin);
    REQUIRE(end != std::string::npos);
    return text.substr(begin, end - begin);
}

// The words set in bold (`*overlap*`, `*max\_executions*`), in order.
std::vector<std::string> bold_words(const std::string& text) {
    std::vector<std::string> out;
    static const std::regex word(R"(\*([a-z\\_]+)\*)");
    for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it) {
        auto w = (*it)[1].str();
        w.erase(std::remove(w.begin(), w.end(), '\\'), w.end());
        out.push_back(w);
    }
    return out;
}

// The reasons that `parse` reads from the bold words of `text`; each must be one.
template <class T, class Parse> std::set<T> listed_in(const std::string& text, Parse parse) {
    std::set<T> out;
    for (const auto& w : bold_words(text)) {
        CAPTURE(w);
        std::optional<T> r = parse(w);
        REQUIRE(r);
        out.insert(*r);
    }
    return out;
}

template <class T> std::set<T> all_of(const auto& values) {
    return std::set<T>(values.begin(), values.end());
}

} // namespace

TEST_SUITE("model::execution") {

    TEST_CASE("every execution status parses back by name") {
        std::set<std::string_view> names;
        for (auto s : k_execution_statuses) {
            CAPTURE(to_string(s));
            CHECK(parse_execution_status(to_string(s)) == s);
            names.insert(to_string(s));
        }
        CHECK(names.size() == k_execution_statuses.size());
        CHECK(k_execution_statuses.size() == 9);
        CHECK_FALSE(parse_execution_status("done"));
    }

    TEST_CASE("every skip, wait and cancel reason parses back by name") {
        std::set<std::string_view> skips, waits, cancels;
        for (auto r : k_skip_reasons) {
            CAPTURE(to_string(r));
            CHECK(parse_skip_reason(to_string(r)) == r);
            skips.insert(to_string(r));
        }
        for (auto r : k_wait_reasons) {
            CAPTURE(to_string(r));
            CHECK(parse_wait_reason(to_string(r)) == r);
            waits.insert(to_string(r));
        }
        for (auto r : k_cancel_reasons) {
            CAPTURE(to_string(r));
            cancels.insert(to_string(r));
        }
        CHECK(skips.size() == 8);
        CHECK(waits.size() == 9);
        CHECK(cancels.size() == 3);
        CHECK(parse_cancel_reason("replaced") == CancelReason::replaced);
        CHECK(parse_cancel_reason("deleted") == CancelReason::deleted);
        CHECK(parse_cancel_reason("signal TERM") == CancelReason::signal);
        CHECK_FALSE(parse_cancel_reason("signal"));
        CHECK_FALSE(parse_skip_reason("slot"));
        CHECK_FALSE(parse_wait_reason("coalesced"));
        CHECK_FALSE(parse_skip_reason("Overlap"));
    }

    TEST_CASE("a reason's text reads back as the same reason for its status") {
        SUBCASE("given every skip reason of a skipped record") {
            for (auto r : k_skip_reasons) {
                const Reason reason(r);
                CHECK(reason.text() == to_string(r));
                CHECK(Reason::parse(ExecutionStatus::skipped, reason.text()) == reason);
                CHECK(reason.skip() == r);
                CHECK_FALSE(reason.wait());
            }
        }
        SUBCASE("given every wait reason of a queued or waiting run") {
            for (auto r : k_wait_reasons) {
                const Reason reason(r);
                CHECK(Reason::parse(ExecutionStatus::queued, reason.text()) == reason);
                CHECK(Reason::parse(ExecutionStatus::waiting, reason.text()) == reason);
                CHECK(reason.wait() == r);
            }
        }
        SUBCASE("given the cancel reasons of a cancelled run") {
            for (const auto& reason : {Reason(CancelReason::replaced),
                                       Reason(CancelReason::deleted), Reason::signal("TERM")})
                CHECK(Reason::parse(ExecutionStatus::cancelled, reason.text()) == reason);
            CHECK(Reason::signal("INT").text() == "signal INT");
            CHECK(Reason::parse(ExecutionStatus::cancelled, "signal HUP") == Reason::signal("HUP"));
        }
        SUBCASE(
            "then overlap is a skip reason on a skipped record, a wait reason on a queued run") {
            CHECK(Reason::parse(ExecutionStatus::skipped, "overlap").skip() == SkipReason::overlap);
            CHECK(Reason::parse(ExecutionStatus::queued, "overlap").wait() == WaitReason::overlap);
        }
        SUBCASE("then a text that no reason of the status reads is kept as it is") {
            auto other = Reason::parse(ExecutionStatus::completed, "window");
            CHECK(other.text() == "window");
            CHECK_FALSE(other.skip());
            CHECK_FALSE(other.wait());
            CHECK_FALSE(other.cancel());
            CHECK(Reason::parse(ExecutionStatus::skipped, "slot").text() == "slot");
            CHECK(Reason::parse(ExecutionStatus::skipped, "slot") != Reason(WaitReason::slot));
        }
    }

    TEST_CASE("a requested replace is stored as the reason text replaced") {
        SUBCASE("given a running run whose replacement was requested") {
            Execution e;
            e.status = ExecutionStatus::running;
            e.replace_requested = true;
            // then its text is replaced, and reads back as the request
            CHECK(reason_text(e) == "replaced");
            Execution back;
            back.status = e.status;
            set_reason_text(back, reason_text(e));
            CHECK(back.replace_requested);
            CHECK_FALSE(back.reason);
            CHECK(is_replaced(back));
        }
        SUBCASE("given a run recorded cancelled, reason replaced") {
            Execution e;
            e.status = ExecutionStatus::cancelled;
            set_reason_text(e, std::string("replaced"));
            CHECK_FALSE(e.replace_requested);
            CHECK(e.reason == Reason(CancelReason::replaced));
            CHECK(is_replaced(e));
            CHECK(reason_text(e) == "replaced");
        }
        SUBCASE("given a run with a reason of its own and a request, the reason is stored") {
            Execution e;
            e.status = ExecutionStatus::cancelled;
            e.reason = CancelReason::deleted;
            e.replace_requested = true;
            CHECK(reason_text(e) == "deleted");
        }
        SUBCASE("given no reason and no request, nothing is stored") {
            Execution e;
            set_reason_text(e, std::nullopt);
            CHECK_FALSE(reason_text(e));
            CHECK_FALSE(is_replaced(e));
        }
    }

    TEST_CASE("the man page lists the reasons that runs are given") {
        const auto man = man_page();
        const auto execution = between(man, "## Execution object", "## Backup document");
        const auto reason = between(execution, "*reason* (or null:", "*skipped_count*");
        SUBCASE("then every skip reason it lists is one, and every one produced is listed") {
            const auto listed = listed_in<SkipReason>(
                between(reason, "for *skipped*,", "for *cancelled*"), parse_skip_reason);
            CHECK(listed == all_of<SkipReason>(k_skip_reasons));
        }
        SUBCASE("then every cancel reason it lists is one") {
            const auto cancelled = between(reason, "for *cancelled*,", "for *queued*");
            auto listed = listed_in<CancelReason>(cancelled, parse_cancel_reason);
            CHECK(cancelled.find("\"signal _NAME_\"") != std::string::npos);
            listed.insert(CancelReason::signal);
            CHECK(listed == all_of<CancelReason>(k_cancel_reasons));
        }
        SUBCASE("then the wait reasons stored on queued runs and those queue shows are listed") {
            const auto stored =
                listed_in<WaitReason>(between(reason, "for *queued*,", ")"), parse_wait_reason);
            CHECK(stored == std::set<WaitReason>{WaitReason::slot, WaitReason::overlap,
                                                 WaitReason::catchup, WaitReason::retry,
                                                 WaitReason::window, WaitReason::dependency,
                                                 WaitReason::conflict});
            const auto queue = between(man, "\n*queue*\n", "Formats:");
            const auto shown =
                listed_in<WaitReason>(between(queue, "waits (", ")."), parse_wait_reason);
            auto produced = all_of<WaitReason>(k_wait_reasons);
            CHECK(shown == produced);
        }
    }
}
