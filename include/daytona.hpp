// SPDX-License-Identifier: Apache-2.0
// Convenience header: every public header of daytona-cpp.
#ifndef DAYTONA_HPP
#define DAYTONA_HPP

#include "daytona/api/sandboxes.hpp"
#include "daytona/api/toolbox/process.hpp"
#include "daytona/client.hpp"
#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/http/auth_transport.hpp"
#include "daytona/http/parser.hpp"
#include "daytona/http/pooled_transport.hpp"
#include "daytona/http/retrying_transport.hpp"
#include "daytona/http/serializer.hpp"
#include "daytona/http/url.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/process.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"
#include "daytona/process.hpp"
#include "daytona/result.hpp"
#include "daytona/run_sync.hpp"
#include "daytona/sandbox.hpp"
#include "daytona/version.hpp"

#endif  // DAYTONA_HPP
