// SPDX-License-Identifier: Apache-2.0
// The sandbox state machine as the sandbox and fork areas share it: a state change is a path of
// steps, applied at once or, with --state-delay-ms, one step per delay. The paths are Daytona's:
//
//   create from a snapshot   creating -> starting -> started
//   create from an image     pending_build -> building_snapshot -> starting -> started
//                            (or build_failed)
//   stop                     stopping -> stopped; with autoDeleteInterval 0 then destroying ->
//                            destroyed
//   start                    stopped: starting, archived: restoring, paused: resuming -> started
//   archive                  stopped -> archiving -> archived
//   resize                   resizing -> back to started or stopped
//   fork, snapshot           forking, snapshotting -> back
//   delete                   destroying -> destroyed
//   recover                  error (when recoverable) -> starting -> started
//
// While a sandbox is in a transitional state (is_transitional), a new change is refused with 409.
#ifndef DAYTONA_EMULATOR_LIFECYCLE_HPP
#define DAYTONA_EMULATOR_LIFECYCLE_HPP

#include "context.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace daytona::emulator {

/// Marks a Dockerfile whose emulated build must fail (lets tests reach `build_failed`).
inline constexpr std::string_view build_fail_marker = "EMULATOR_BUILD_FAIL";

/// Sets the state (name and enum) and the update time.
void set_state(sandbox_info& s, std::string_view name);
/// Sets a snapshot's or volume's state (enum and name) and its update time.
template <class Info, class State>
requires std::is_enum_v<State>
void set_state(Info& info, State state) {
    info.state = state;
    info.state_name = std::string(to_string(state));
    info.updated_at = iso_time();
}
/// How long a state lasts with --state-delay-ms (builds four times as long).
std::chrono::milliseconds dwell(const emulator_options& opts, std::string_view state);
/// 409 while a change is under way, 400 unless the sandbox is started or stopped.
std::optional<reply> refuse_unless_settled(const exchange& ex, const sandbox_record& rec,
                                           std::string_view action);
/// Copies a file tree (cp -a, reflinks where the file system has them); "" or why not.
asio::awaitable<std::string> copy_tree(fs::path from, fs::path to);

/// One step of a state change: the state, and what the DTO says the sandbox is heading to.
struct state_step {
    std::string state;
    std::string desired;
    std::optional<std::string> error_reason{};
    bool recoverable = false;
};

class state_machine {
public:
    explicit state_machine(context& ctx) : ctx_(ctx) {}

    /// Moves the sandbox along `path`; the last step is where it settles. Immediate without a
    /// state delay; otherwise the first step applies now and each next one after the delay.
    /// Returns the DTO after the steps applied now (nullopt once it is destroyed).
    std::optional<sandbox_info> transition(const asio::any_io_executor& exec, const std::string& id,
                                           std::vector<state_step> path);
    /// Applies one step now (stopping or destroying ends the sandbox's processes).
    std::optional<sandbox_info> apply(const std::string& id, const state_step& step);

private:
    asio::awaitable<void> walk(std::string id, std::uint64_t generation, std::string current,
                               std::vector<state_step> path);
    std::uint64_t begin(const std::string& id);
    bool current(const std::string& id, std::uint64_t generation);

    context& ctx_;
    // A counter per sandbox: a new state change makes an older one still walking stop.
    std::mutex mu_;
    std::map<std::string, std::uint64_t> generations_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_LIFECYCLE_HPP
