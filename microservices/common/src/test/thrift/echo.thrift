// A tiny service for transport tests: one normal method, one declared exception, one slow method.
namespace java io.nightcorej.microservices.common.testidl

exception EchoException {
  1: string message;
}

service EchoService {
  string Echo(1: string text) throws (1: EchoException e);
  i64 Sleep(1: i64 millis);
}
