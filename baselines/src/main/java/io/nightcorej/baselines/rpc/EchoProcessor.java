package io.nightcorej.baselines.rpc;

import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

/**
 * A hand-written Thrift service with one method, {@code string echo(1: string s)}: the smallest real processor, used to
 * compare server models on many short calls without any handler cost. The wire format is exactly what a generated
 * processor would read and write ({@code <method>_args} struct in, {@code <method>_result} with field 0 out).
 */
public final class EchoProcessor implements TProcessor {
    private static final TStruct RESULT = new TStruct("echo_result");
    private static final TField SUCCESS = new TField("success", TType.STRING, (short) 0);
    private static final TStruct ARGS = new TStruct("echo_args");
    private static final TField S = new TField("s", TType.STRING, (short) 1);

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        TMessage msg = in.readMessageBegin();
        String value = "";
        in.readStructBegin();
        while (true) {
            TField f = in.readFieldBegin();
            if (f.type == TType.STOP) break;
            if (f.id == 1 && f.type == TType.STRING) {
                value = in.readString();
            } else {
                TProtocolUtil.skip(in, f.type);
            }
            in.readFieldEnd();
        }
        in.readStructEnd();
        in.readMessageEnd();
        out.writeMessageBegin(new TMessage(msg.name, TMessageType.REPLY, msg.seqid));
        out.writeStructBegin(RESULT);
        out.writeFieldBegin(SUCCESS);
        out.writeString(value);
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeMessageEnd();
        out.getTransport().flush();
    }

    /** Client side of the same method. */
    public static String call(TProtocol p, int seqid, String s) throws TException {
        p.writeMessageBegin(new TMessage("echo", TMessageType.CALL, seqid));
        p.writeStructBegin(ARGS);
        p.writeFieldBegin(S);
        p.writeString(s);
        p.writeFieldEnd();
        p.writeFieldStop();
        p.writeStructEnd();
        p.writeMessageEnd();
        p.getTransport().flush();
        TMessage reply = p.readMessageBegin();
        if (reply.seqid != seqid || reply.type != TMessageType.REPLY) {
            throw new TException("unexpected reply " + reply);
        }
        String result = null;
        p.readStructBegin();
        while (true) {
            TField f = p.readFieldBegin();
            if (f.type == TType.STOP) break;
            if (f.id == 0 && f.type == TType.STRING) {
                result = p.readString();
            } else {
                TProtocolUtil.skip(p, f.type);
            }
            p.readFieldEnd();
        }
        p.readStructEnd();
        p.readMessageEnd();
        return result;
    }
}
