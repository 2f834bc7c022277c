// SPDX-License-Identifier: Apache-2.0
// Convenience header: every public header of daytona-cpp. Programs that care about compile
// time include only what they use (<daytona/client.hpp>, <daytona/image.hpp>, ...).
#ifndef DAYTONA_HPP
#define DAYTONA_HPP

#include "daytona/api/config.hpp"
#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/api/snapshots.hpp"
#include "daytona/api/toolbox/process.hpp"
#include "daytona/api/toolbox/sessions.hpp"
#include "daytona/api/trace.hpp"
#include "daytona/api/volumes.hpp"
#include "daytona/claude.hpp"
#include "daytona/client.hpp"
#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/http/auth_transport.hpp"
#include "daytona/http/observing_transport.hpp"
#include "daytona/http/parser.hpp"
#include "daytona/http/pooled_transport.hpp"
#include "daytona/http/retrying_transport.hpp"
#include "daytona/http/serializer.hpp"
#include "daytona/http/url.hpp"
#include "daytona/http/websocket_client.hpp"
#include "daytona/image.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/config.hpp"
#include "daytona/models/process.hpp"
#include "daytona/models/session.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/models/snapshot.hpp"
#include "daytona/models/volume.hpp"
#include "daytona/options.hpp"
#include "daytona/process.hpp"
#include "daytona/result.hpp"
#include "daytona/run_sync.hpp"
#include "daytona/sandbox.hpp"
#include "daytona/session.hpp"
#include "daytona/snapshots.hpp"
#include "daytona/version.hpp"
#include "daytona/volumes.hpp"
// Pseudo-terminals.
#include "daytona/api/toolbox/pty.hpp"
#include "daytona/models/pty.hpp"
#include "daytona/pty.hpp"
// Code interpreter.
#include "daytona/api/toolbox/interpreter.hpp"
#include "daytona/interpreter.hpp"
#include "daytona/models/interpreter.hpp"
// Language servers.
#include "daytona/api/toolbox/lsp.hpp"
#include "daytona/lsp.hpp"
#include "daytona/models/lsp.hpp"

#endif  // DAYTONA_HPP
