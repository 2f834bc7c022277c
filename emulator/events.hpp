// SPDX-License-Identifier: Apache-2.0
// Daytona's event channel: Socket.IO over a WebSocket at /api/socket.io/. Every change of a
// sandbox, snapshot or volume record becomes an event (sandbox.created, sandbox.state.updated,
// sandbox.desired-state.updated, snapshot.created, snapshot.state.updated, snapshot.removed,
// volume.created, volume.state.updated) sent to every connected client of the organization,
// which the official SDK's waits (and this library's) listen to instead of polling.
#ifndef DAYTONA_EMULATOR_EVENTS_HPP
#define DAYTONA_EMULATOR_EVENTS_HPP

#include "store.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace daytona::emulator {

class ws_session;

/**
 * \brief The connected event clients and what goes to them.
 * \details Thread-safe: records change on any request thread; sending posts into each client's
 * own strand. A client whose queue passes `max_backlog` messages is dropped (it reconnects and
 * polls meanwhile) rather than letting its queue grow without bound.
 */
class event_hub {
public:
    static constexpr std::size_t max_backlog = 4096;

    /// `origin`: how the client addressed the emulator, for the DTOs' toolboxProxyUrl.
    void join(const std::shared_ptr<ws_session>& ws, std::string origin);
    void leave(const ws_session* ws);
    std::size_t clients() const;

    /// Sends `42["name", payload(origin)]` to every client.
    void publish(std::string_view name,
                 const std::function<std::string(const std::string&)>& payload);

    /// Turns record changes into events (the store's observer).
    void sandbox_changed(const sandbox_info* before, const sandbox_info* after);
    void snapshot_changed(const snapshot_info* before, const snapshot_info* after);
    void volume_changed(const volume_info* before, const volume_info* after);

private:
    struct client {
        std::weak_ptr<ws_session> ws;
        std::string origin;
    };
    mutable std::mutex mu_;
    std::vector<client> clients_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_EVENTS_HPP
