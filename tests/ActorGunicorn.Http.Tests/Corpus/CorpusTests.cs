using Xunit;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// gunicorn's request corpus and the framing cases (Corpus/Framing), every case in every chunking, contiguous and
/// segmented.
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string, string, bool> ValidCases => Cases("valid");

    public static TheoryData<string, string, bool> InvalidCases => Cases("invalid");

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void A_valid_case_parses_to_the_requests_gunicorn_expects(string name, string chunking, bool segmented)
    {
        CorpusCase corpusCase = CorpusCase.Load(name);
        DriverResult result = ConnectionDriver.Run(corpusCase, Chunkings.Split(corpusCase.Data, chunking), segmented);

        Assert.Null(result.Rejection);
        Assert.Equal(corpusCase.ExpectedRequests.Count, result.Requests.Count);
        for (int i = 0; i < result.Requests.Count; i++)
        {
            ExpectedRequest expected = corpusCase.ExpectedRequests[i];
            ParsedRequest actual = result.Requests[i];
            Assert.Equal(expected.Method, actual.Method);
            Assert.Equal(expected.Target, actual.Target);
            Assert.Equal(expected.Path, actual.Path);
            Assert.Equal(expected.Query, actual.Query);
            Assert.Equal(expected.Fragment, actual.Fragment);
            Assert.Equal((expected.Major, expected.Minor), (actual.Major, actual.Minor));
            Assert.Equal(expected.Headers, actual.Headers);
            Assert.Equal(expected.Body, actual.Body);
            Assert.Equal(expected.Trailers, actual.Trailers);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_case_is_rejected_with_gunicorns_error(string name, string chunking, bool segmented)
    {
        CorpusCase corpusCase = CorpusCase.Load(name);
        DriverResult result = ConnectionDriver.Run(corpusCase, Chunkings.Split(corpusCase.Data, chunking), segmented);

        Assert.NotNull(result.Rejection);
        Assert.Equal(corpusCase.ExpectedError, result.Rejection.Reason);
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Capping_the_payload_slice_does_not_change_the_body(string name, string chunking, bool segmented)
    {
        CorpusCase corpusCase = CorpusCase.Load(name);
        DriverResult result = ConnectionDriver.Run(corpusCase, Chunkings.Split(corpusCase.Data, chunking), segmented, maxPayloadSlice: 3);

        Assert.Null(result.Rejection);
        Assert.Equal(corpusCase.ExpectedRequests.Select(r => r.Body), result.Requests.Select(r => r.Body));
    }

    [Fact]
    public void The_corpus_has_63_valid_and_74_invalid_cases()
    {
        Assert.Equal(63, CorpusCase.GunicornNames("valid").Count());
        Assert.Equal(74, CorpusCase.GunicornNames("invalid").Count());
    }

    [Fact]
    public void The_framing_cases_are_10_valid_and_43_invalid()
    {
        Assert.Equal(10, CorpusCase.FramingNames("valid").Count());
        Assert.Equal(43, CorpusCase.FramingNames("invalid").Count());
    }

    private static TheoryData<string, string, bool> Cases(string kind)
    {
        var data = new TheoryData<string, string, bool>();
        foreach (string name in CorpusCase.Names(kind))
        {
            foreach (string chunking in Chunkings.Names)
            {
                data.Add(name, chunking, false);

                // One segment per byte would make every sequence walk quadratic in the test itself.
                if (chunking != "bytes")
                {
                    data.Add(name, chunking, true);
                }
            }
        }

        return data;
    }
}
